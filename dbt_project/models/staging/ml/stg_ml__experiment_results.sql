with

source as (

    select * from {{ source('ml', 'experiment_results') }}

),

renamed as (

    select
        run_id,
        experiment,
        row_kind,
        arm,
        control_arm,
        exposed,
        n,
        planned_n,
        planned_share,
        observed_share,
        mean,
        std,
        effect,
        ci_low,
        ci_high,
        confidence,
        p_value,
        significant,
        srm_p_value,
        srm_flagged,
        final,
        status,
        reason,
        analysed_at

    from source

)

select * from renamed
