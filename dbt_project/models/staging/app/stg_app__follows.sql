with

source as (

    select * from {{ source('app', 'follows') }}

),

renamed as (

    select
        follower_id,
        followee_id,
        created_at

    from source

)

select * from renamed
