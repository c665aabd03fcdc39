{#- Every experiment's latest analysis for BI: one row per arm and per effect, with the
    experiment's design. A result is readable as a decision only where final is true (the
    planned sample size reached, the allocation intact); interim rows are progress. -#}

with

experiments as (

    select * from {{ ref('stg_app__experiments') }}

),

results as (

    select * from {{ ref('stg_ml__experiment_results') }}

),

latest_runs as (

    select
        experiment,
        max(analysed_at) as analysed_at
    from results
    group by experiment

),

latest as (

    select results.*
    from results
    inner join latest_runs
        on
        results.experiment = latest_runs.experiment
        and results.analysed_at = latest_runs.analysed_at

)

select
    latest.experiment,
    experiments.hypothesis,
    experiments.primary_metric,
    experiments.kind,
    experiments.mde,
    experiments.status as experiment_status,
    experiments.started_at,
    experiments.planned_end,
    latest.row_kind,
    latest.arm,
    latest.control_arm,
    latest.exposed,
    latest.n,
    latest.planned_n,
    latest.planned_share,
    latest.observed_share,
    latest.mean,
    latest.std,
    latest.effect,
    latest.ci_low,
    latest.ci_high,
    latest.confidence,
    latest.p_value,
    latest.significant,
    latest.srm_p_value,
    latest.srm_flagged,
    latest.final,
    latest.status as result_status,
    latest.reason,
    latest.run_id,
    latest.analysed_at
from latest
inner join experiments on latest.experiment = experiments.experiment
