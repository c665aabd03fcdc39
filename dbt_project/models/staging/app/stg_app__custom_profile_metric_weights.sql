with

source as (

    select * from {{ source('app', 'custom_profile_metric_weights') }}

),

renamed as (

    select
        profile,
        metric_code,
        weight,
        enabled

    from source

)

select * from renamed
