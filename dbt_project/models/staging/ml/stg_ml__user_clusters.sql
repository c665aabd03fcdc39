with

source as (

    select * from {{ source('ml', 'user_clusters') }}

),

renamed as (

    select
        user_id,
        cluster,
        distance,
        run_id

    from source

)

select * from renamed
