{{ config(tags=['monthly']) }}

{{ stg_movielens_ratings(source('movielens_archive', 'movielens_archive__ratings')) }}
