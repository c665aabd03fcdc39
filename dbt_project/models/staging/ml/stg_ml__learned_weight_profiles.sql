with

source as (

    select * from {{ source('ml', 'learned_weight_profiles') }}

),

renamed as (

    select
        run_id,
        audience,
        published,
        profile,
        reason,
        weights,
        learned_holdout_ndcg,
        learned_holdout_spearman,
        balanced_holdout_ndcg,
        balanced_holdout_spearman,
        ndcg_gain,
        gain_ci_low,
        gain_ci_high,
        train_ratings,
        train_films,
        holdout_films,
        split_at,
        model_version,
        trained_at

    from source

)

select * from renamed
