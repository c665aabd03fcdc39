{#- Every source row that names a film, mapped to its film_id with the rule that matched
    it (imdb_id, title_year, alt_title_year, director_fuzzy, cluster), the film's name and
    year it matched on, whether a shared director confirmed it, and a confidence;
    unresolved rows are in film_identity_issues. -#}

{{ config(indexes=[
    {'columns': ['source', 'source_key'], 'unique': true},
    {'columns': ['film_id']},
]) }}

select
    source,
    source_key,
    film_id,
    match_rule,
    matched_title,
    matched_year,
    director_check,
    confidence
from {{ ref('int_film_identity') }}
where film_id is not null
