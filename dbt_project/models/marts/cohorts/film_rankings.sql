{#- Every film of every cohort scored by every strategy of the ranking_strategies seed, with
    each component next to the score. Components (all within the cohort):

    - bayesian_mean = v/(v+m) * R + m/(v+m) * C, with v raters, R the film's mean, m the vote
      floor (var ranking_vote_floor, default 50) and C the cohort-wide mean rating (or var
      ranking_prior_mean when set);
    - wilson_lower_bound: 95% Wilson lower bound of the share of positive ratings, positive
      meaning at least var wilson_positive_stars (default 3.5) stars;
    - z_like_rate, z_favorite_rate: likes and favourites per watcher, z-scored over the
      cohort's films;
    - consensus_bonus: 1 when at least var consensus_bonus_share (default 0.6) of raters gave
      4 stars or more;
    - z_crowd_share: z of the share of ratings at 3 or 3.5 stars (a dense middle);
    - z_stddev: z of the rating standard deviation (volatility; subtracted).

    score = scale * sum(weight * component). An input with no variation in the cohort (no
    likes at all, as in MovieLens) carries no information: it is dropped, listed in
    missing_inputs, and `weight_scale` renormalises the remaining weights to the strategy's
    total weight.

    Evidence floor: a film is ranked by a strategy only with at least the strategy's
    min_raters raters (seed ranking_strategies), capped at half the cohort's members so a
    small cohort still ranks its films. The Bayesian mean shrinks a thin record, but the share
    and rate components do not: one 3.5-star rating is a 100% dense middle. Films under
    the floor keep their row and components, with meets_floor false and no rank or
    percentile. -#}

{%- set vote_floor = var('ranking_vote_floor', 50) -%}
{%- set prior_mean = var('ranking_prior_mean', none) -%}
{%- set consensus_share = var('consensus_bonus_share', 0.6) -%}
{%- set positive_stars = var('wilson_positive_stars', 3.5) -%}
{%- set z = 1.96 -%}

with

stats as (

    select
        cohort_id,
        cohort,
        film_id,
        watchers,
        raters,
        mean_rating,
        stddev_rating,
        high_share,
        crowd_share,
        likes::numeric / watchers as like_rate,
        favorites::numeric / watchers as favorite_rate,
        (
            {%- for position in range((positive_stars * 2) | round(0, 'ceil') | int, 11) %}
            bucket_counts[{{ position }}]{% if not loop.last %} +{% endif %}
            {%- endfor %}
        )::numeric / raters as positive_share
    from {{ ref('cohort_film_stats') }}
    where raters > 0

),

cohort_features as (

    -- numeric aggregates: exact, so the result does not depend on the order rows are summed
    -- in (a full rebuild and a sequence of incremental loads give the same scores)
    select
        cohort_id,
        {% if prior_mean is none -%}
        (sum(mean_rating * raters) / sum(raters))::float8
        {%- else -%}
        {{ prior_mean }}::float8
        {%- endif %} as prior_mean,
        avg(like_rate)::float8 as like_rate_mean,
        stddev_pop(like_rate)::float8 as like_rate_sd,
        avg(favorite_rate)::float8 as favorite_rate_mean,
        stddev_pop(favorite_rate)::float8 as favorite_rate_sd,
        avg(crowd_share)::float8 as crowd_share_mean,
        stddev_pop(crowd_share)::float8 as crowd_share_sd,
        avg(stddev_rating)::float8 as stddev_mean,
        stddev_pop(stddev_rating)::float8 as stddev_sd
    from stats
    group by cohort_id

),

components as materialized (

    -- double precision from here on: row-wise arithmetic, exact enough and much faster
    select
        stats.cohort_id,
        stats.cohort,
        stats.film_id,
        stats.watchers,
        stats.raters,
        stats.mean_rating::float8 as mean_rating,
        stats.stddev_rating::float8 as stddev_rating,
        stats.like_rate::float8 as like_rate,
        stats.favorite_rate::float8 as favorite_rate,
        stats.high_share::float8 as high_share,
        stats.crowd_share::float8 as crowd_share,
        cohort_features.prior_mean,
        stats.raters::float8 / (stats.raters + {{ vote_floor }}) * stats.mean_rating::float8
        + {{ vote_floor }}::float8 / (stats.raters + {{ vote_floor }}) * cohort_features.prior_mean
            as bayesian_mean,
        (
            stats.positive_share::float8 + {{ z }} ^ 2 / (2 * stats.raters)
            - {{ z }} * sqrt(
                stats.positive_share::float8 * (1 - stats.positive_share::float8) / stats.raters
                + {{ z }} ^ 2 / (4 * stats.raters ^ 2)
            )
        ) / (1 + {{ z }} ^ 2 / stats.raters) as wilson_lower_bound,
        (stats.like_rate::float8 - cohort_features.like_rate_mean)
        / nullif(cohort_features.like_rate_sd, 0) as z_like_rate,
        (stats.favorite_rate::float8 - cohort_features.favorite_rate_mean)
        / nullif(cohort_features.favorite_rate_sd, 0) as z_favorite_rate,
        (stats.high_share >= {{ consensus_share }})::integer as consensus_bonus,
        (stats.crowd_share::float8 - cohort_features.crowd_share_mean)
        / nullif(cohort_features.crowd_share_sd, 0) as z_crowd_share,
        (stats.stddev_rating::float8 - cohort_features.stddev_mean)
        / nullif(cohort_features.stddev_sd, 0) as z_stddev
    from stats
    inner join cohort_features on stats.cohort_id = cohort_features.cohort_id

),

cohort_strategies as (

    -- Which inputs a cohort lacks is a property of the cohort (a z-score is null only when
    -- the input has no spread in it), so the renormalisation is worked out once per cohort
    -- and strategy, not per film.
    select
        cohort_features.cohort_id,
        strategies.*,
        array_remove(array[
            case
                when strategies.w_like <> 0 and cohort_features.like_rate_sd = 0 then 'like_rate'
            end,
            case
                when
                    strategies.w_favorite <> 0 and cohort_features.favorite_rate_sd = 0
                    then 'favorite_rate'
            end,
            case
                when
                    strategies.w_crowd <> 0 and cohort_features.crowd_share_sd = 0
                    then 'crowd_share'
            end,
            case
                when
                    strategies.w_volatility <> 0 and cohort_features.stddev_sd = 0
                    then 'stddev_rating'
            end
        ], null) as missing_inputs,
        (
            abs(strategies.w_bayesian) + abs(strategies.w_wilson) + abs(strategies.w_like)
            + abs(strategies.w_favorite) + abs(strategies.w_consensus) + abs(strategies.w_crowd)
            + abs(strategies.w_volatility)
        ) / nullif(
            abs(strategies.w_bayesian) + abs(strategies.w_wilson) + abs(strategies.w_consensus)
            + case when cohort_features.like_rate_sd = 0 then 0 else abs(strategies.w_like) end
            + case
                when cohort_features.favorite_rate_sd = 0 then 0 else abs(strategies.w_favorite)
            end
            + case when cohort_features.crowd_share_sd = 0 then 0 else abs(strategies.w_crowd) end
            + case when cohort_features.stddev_sd = 0 then 0 else abs(strategies.w_volatility) end,
            0
        ) as weight_scale
    from cohort_features
    cross join {{ ref('ranking_strategies') }} as strategies

),

cohort_sizes as (

    -- the floor never asks for more than half the cohort: a cohort of five (a user and
    -- the people they follow) still ranks the films three of them rated
    select cohort_id, ceil(member_count / 2.0)::integer as floor_cap
    from {{ ref('dim_cohorts') }}

),

renormalizations as (

    select
        *,
        case
            when cardinality(missing_inputs) > 0
                then 'no variation in ' || array_to_string(missing_inputs, ', ')
                    || ' in this cohort: weights renormalised over the other inputs'
        end as renormalization_note
    from cohort_strategies

),

scored as (

    select
        components.*,
        cohort_strategies.strategy,
        cohort_strategies.missing_inputs,
        cohort_strategies.weight_scale,
        cohort_strategies.renormalization_note,
        least(cohort_strategies.min_raters, cohort_sizes.floor_cap) as min_raters,
        components.raters >= least(cohort_strategies.min_raters, cohort_sizes.floor_cap)
            as meets_floor,
        cohort_strategies.weight_scale * (
            cohort_strategies.w_bayesian * components.bayesian_mean
            + cohort_strategies.w_wilson * components.wilson_lower_bound
            + cohort_strategies.w_like * coalesce(components.z_like_rate, 0)
            + cohort_strategies.w_favorite * coalesce(components.z_favorite_rate, 0)
            + cohort_strategies.w_consensus * components.consensus_bonus
            + cohort_strategies.w_crowd * coalesce(components.z_crowd_share, 0)
            - cohort_strategies.w_volatility * coalesce(components.z_stddev, 0)
        ) as score
    from components
    inner join renormalizations as cohort_strategies
        on components.cohort_id = cohort_strategies.cohort_id
    inner join cohort_sizes on components.cohort_id = cohort_sizes.cohort_id

),

ranked as (

    -- ranked where scored: ranking a narrow projection and joining it back to the scores
    -- costs a second sort and a merge join, twice the time on the demo's 150,000 rows
    select
        *,
        row_number() over cohort_strategy as rank,
        1 - percent_rank() over cohort_strategy as percentile
    from scored
    window cohort_strategy as (
        partition by cohort_id, strategy, meets_floor
        order by score desc, raters desc, film_id asc
    )

)

select
    cohort_id,
    cohort,
    strategy,
    film_id,
    case when meets_floor then rank end as rank,
    score,
    case when meets_floor then percentile end as percentile,
    case
        when not meets_floor then null
        when percentile >= 0.99 then 'top 1%'
        when percentile >= 0.90 then 'top 10%'
        when percentile >= 0.75 then 'top 25%'
        when percentile >= 0.50 then 'top 50%'
        else 'bottom 50%'
    end as percentile_bucket,
    min_raters,
    meets_floor,
    watchers,
    raters,
    mean_rating,
    bayesian_mean,
    {{ vote_floor }} as vote_floor,
    prior_mean,
    wilson_lower_bound,
    {{ positive_stars }} as wilson_positive_stars,
    like_rate,
    z_like_rate,
    favorite_rate,
    z_favorite_rate,
    high_share,
    consensus_bonus,
    crowd_share,
    z_crowd_share,
    stddev_rating,
    z_stddev,
    weight_scale,
    missing_inputs,
    renormalization_note
from ranked
