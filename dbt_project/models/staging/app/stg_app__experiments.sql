with

source as (

    select * from {{ source('app', 'experiments') }}

),

renamed as (

    select
        name as experiment,
        hypothesis,
        arms,
        allocation,
        kind,
        primary_metric,
        mde,
        baseline_rate,
        outcome_sd,
        alpha,
        power,
        status,
        started_at,
        planned_end,
        stopped_at

    from source

)

select * from renamed
