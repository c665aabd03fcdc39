{{ config(tags=['monthly']) }}

{{ stg_movielens_ratings(source('raw', 'movielens__ratings')) }}
