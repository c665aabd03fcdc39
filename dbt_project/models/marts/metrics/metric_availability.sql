{#- Every active metric and whether this deployment feeds it: is_fed when some source gave
    it a value for at least one film. Which metrics are fed depends on the deployment (the
    TMDb metrics need an API key, some lists were removed from the demo), so it is read from
    the data, not declared. available_coverage in film_scores measures a film's evidence
    against the weight of the fed metrics only. -#}

with

fed as (

    select
        metric_code,
        count(*) as films_with_data
    from {{ ref('film_metric_values') }}
    group by metric_code

)

select
    definitions.code as metric_code,
    definitions.category,
    coalesce(fed.films_with_data, 0) as films_with_data,
    fed.metric_code is not null as is_fed
from {{ ref('metric_definitions') }} as definitions
left join fed on definitions.code = fed.metric_code
where definitions.active
