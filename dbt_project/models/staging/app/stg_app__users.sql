with

source as (

    select * from {{ source('app', 'users') }}

),

renamed as (

    select
        user_id,
        handle,
        source,
        created_at

    from source

)

select * from renamed
