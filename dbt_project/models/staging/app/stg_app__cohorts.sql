with

source as (

    select * from {{ source('app', 'cohorts') }}

),

renamed as (

    select
        cohort_name,
        description,
        created_at

    from source

)

select * from renamed
