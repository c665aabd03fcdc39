{#- Every source row that names a film, mapped to its film_id with the rule that matched it
    and a confidence; unresolved rows are in film_identity_issues. -#}

{{ config(indexes=[
    {'columns': ['source', 'source_key'], 'unique': true},
    {'columns': ['film_id']},
]) }}

select
    source,
    source_key,
    film_id,
    match_rule,
    confidence
from {{ ref('int_film_identity') }}
where film_id is not null
