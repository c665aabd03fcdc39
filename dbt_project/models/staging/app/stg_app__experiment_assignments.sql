with

source as (

    select * from {{ source('app', 'experiment_assignments') }}

),

renamed as (

    select
        experiment,
        user_id,
        arm,
        assigned_at

    from source

)

select * from renamed
