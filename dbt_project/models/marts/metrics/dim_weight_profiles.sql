{{ config(materialized='view') }}

{#- Every weight profile: the system profiles of the weight_profiles seed and the custom
    profiles users keep in app.custom_weight_profiles (through serving.metrics).
    A view, so that a profile edit counts at once in film_scores_live and the score API.
    ranking_k and ranking_prior (the evidence shrinkage of ranked_score) are seed data for
    the system profiles; a custom profile stores its own (its base profile's unless given),
    and one stored before it could falls back to the default profile's. -#}

{%- set weight_columns %}
{%- for category in metric_categories() %}
{{ category }}_weight,
{%- endfor %}
{%- endset %}

with

system_profiles as (

    select * from {{ ref('weight_profiles') }}

),

default_ranking as (

    select ranking_k, ranking_prior from system_profiles
    where is_default

)

select
    profile,
    description,
    is_default,
    true as is_system,
    {{ weight_columns }}
    ranking_k,
    ranking_prior,
    null::timestamptz as updated_at
from system_profiles

union all

select
    custom.profile,
    custom.description,
    false as is_default,
    false as is_system,
    {%- for category in metric_categories() %}
    custom.{{ category }}_weight,
    {%- endfor %}
    coalesce(custom.ranking_k, fallback.ranking_k) as ranking_k,
    coalesce(custom.ranking_prior, fallback.ranking_prior) as ranking_prior,
    custom.updated_at
from {{ ref('stg_app__custom_weight_profiles') }} as custom
cross join default_ranking as fallback
