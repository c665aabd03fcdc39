with

source as (

    select * from {{ source('app', 'cohort_members') }}

),

renamed as (

    select
        cohort_name,
        user_id,
        added_at

    from source

)

select * from renamed
