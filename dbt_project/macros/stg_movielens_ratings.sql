{#- The staging view of a MovieLens ratings table. The live snapshot and the archive load
    the same layout into different raw tables, so their staging views are this one select
    over their own source. -#}
{% macro stg_movielens_ratings(source_relation) -%}
with

source as (

    select * from {{ source_relation }}

),

renamed as (

    select
        ---------- ids
        user_id,
        movie_id,

        ---------- measures
        rating,

        ---------- timestamps
        rated_at

    from source

)

select * from renamed
{%- endmacro %}
