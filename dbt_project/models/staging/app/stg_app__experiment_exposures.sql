with

source as (

    select * from {{ source('app', 'experiment_exposures') }}

),

renamed as (

    select
        exposure_id,
        experiment,
        user_id,
        arm,
        surface,
        at as exposed_at

    from source

)

select * from renamed
