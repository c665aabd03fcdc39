{{ config(materialized='view') }}

{#- Every weight profile: the system profiles of the weight_profiles seed and the custom
    profiles users keep in app.custom_weight_profiles (through serving.metrics).
    A view, so that a profile edit counts at once in film_scores_live and the score API. -#}

{%- set weight_columns %}
{%- for category in metric_categories() %}
{{ category }}_weight,
{%- endfor %}
{%- endset %}

select
    profile,
    description,
    is_default,
    true as is_system,
    {{ weight_columns }}
    null::timestamptz as updated_at
from {{ ref('weight_profiles') }}

union all

select
    profile,
    description,
    false as is_default,
    false as is_system,
    {{ weight_columns }}
    updated_at
from {{ ref('stg_app__custom_weight_profiles') }}
