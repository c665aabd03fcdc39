select * from {{ ref('stg_ml__movie_gravitas_scores') }}
