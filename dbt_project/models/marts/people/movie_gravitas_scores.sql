{#- The API looks rows up by film_id. -#}
{{ config(indexes=[{'columns': ['film_id']}]) }}

-- The ml table as it is: its columns follow the seeds or the catalogue.
select * from {{ ref('stg_ml__movie_gravitas_scores') }}  -- noqa: AM04
