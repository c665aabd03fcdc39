{#- The API looks rows up by film_id. -#}
{{ config(indexes=[{'columns': ['film_id']}]) }}

select * from {{ ref('stg_ml__movie_gravitas_scores') }}
