with

source as (

    select * from {{ source('movielens_archive', 'movielens_archive__tags') }}

),

renamed as (

    select
        ---------- ids
        user_id,
        movie_id,

        ---------- tag
        tag,

        ---------- timestamps
        tagged_at

    from source

)

select * from renamed
