{#- Every film of every cohort scored by every strategy of the ranking_strategies seed, with
    each component next to the score. Components (all within the cohort):

    - bayesian_mean = v/(v+m) * R + m/(v+m) * C, with v raters, R the film's mean, m the vote
      floor (var ranking_vote_floor, default 50) and C the cohort-wide mean rating (or var
      ranking_prior_mean when set);
    - wilson_lower_bound: 95% Wilson lower bound of the share of positive ratings, positive
      meaning at least var wilson_positive_stars (default 3.5) stars;
    - z_like_rate, z_favorite_rate: likes and favourites per watcher, z-scored over the
      cohort's films that meet the strategy's floor (as are the two z's below);
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
    and rate components do not: one 3.5-star rating is a 100% dense middle. So the z-scores
    are taken over the films that meet the floor, and films under it keep their row and
    components, with meets_floor false and no rank or percentile. -#}

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

cohort_priors as (

    -- numeric aggregates: exact, so the result does not depend on the order rows are summed
    -- in (a full rebuild and a sequence of incremental loads give the same scores)
    select
        cohort_id,
        {% if prior_mean is none -%}
        (sum(mean_rating * raters) / sum(raters))::float8
        {%- else -%}
        {{ prior_mean }}::float8
        {%- endif %} as prior_mean
    from stats
    group by cohort_id

),

floors as (

    -- each strategy's floor in each cohort: the seed's, never more than half the members (a
    -- cohort of five, a user and the people they follow, still ranks the films three rated)
    select
        cohorts.cohort_id,
        strategies.*,
        least(strategies.min_raters, ceil(cohorts.member_count / 2.0)::integer)
            as cohort_min_raters
    from {{ ref('dim_cohorts') }} as cohorts
    cross join {{ ref('ranking_strategies') }} as strategies

),

strategy_features as (

    -- the z-scores compare a film with the films the strategy ranks (those over its floor):
    -- crowds of one-rating films would otherwise set what a dense middle is
    select
        floors.cohort_id,
        floors.strategy,
        avg(stats.like_rate)::float8 as like_rate_mean,
        stddev_pop(stats.like_rate)::float8 as like_rate_sd,
        avg(stats.favorite_rate)::float8 as favorite_rate_mean,
        stddev_pop(stats.favorite_rate)::float8 as favorite_rate_sd,
        avg(stats.crowd_share)::float8 as crowd_share_mean,
        stddev_pop(stats.crowd_share)::float8 as crowd_share_sd,
        avg(stats.stddev_rating)::float8 as stddev_mean,
        stddev_pop(stats.stddev_rating)::float8 as stddev_sd
    from floors
    inner join stats
        on floors.cohort_id = stats.cohort_id
        and floors.cohort_min_raters <= stats.raters
    group by floors.cohort_id, floors.strategy

),

cohort_strategies as (

    -- Which inputs a cohort lacks is a property of the cohort (a z-score is null only when
    -- the input has no spread in it), so the renormalisation is worked out once per cohort
    -- and strategy, not per film.
    select
        floors.*,
        features.like_rate_mean,
        features.like_rate_sd,
        features.favorite_rate_mean,
        features.favorite_rate_sd,
        features.crowd_share_mean,
        features.crowd_share_sd,
        features.stddev_mean,
        features.stddev_sd,
        array_remove(array[
            case
                when floors.w_like <> 0 and features.like_rate_sd = 0 then 'like_rate'
            end,
            case
                when floors.w_favorite <> 0 and features.favorite_rate_sd = 0
                    then 'favorite_rate'
            end,
            case
                when floors.w_crowd <> 0 and features.crowd_share_sd = 0 then 'crowd_share'
            end,
            case
                when floors.w_volatility <> 0 and features.stddev_sd = 0 then 'stddev_rating'
            end
        ], null) as missing_inputs,
        (
            abs(floors.w_bayesian) + abs(floors.w_wilson) + abs(floors.w_like)
            + abs(floors.w_favorite) + abs(floors.w_consensus) + abs(floors.w_crowd)
            + abs(floors.w_volatility)
        ) / nullif(
            abs(floors.w_bayesian) + abs(floors.w_wilson) + abs(floors.w_consensus)
            + case when features.like_rate_sd = 0 then 0 else abs(floors.w_like) end
            + case when features.favorite_rate_sd = 0 then 0 else abs(floors.w_favorite) end
            + case when features.crowd_share_sd = 0 then 0 else abs(floors.w_crowd) end
            + case when features.stddev_sd = 0 then 0 else abs(floors.w_volatility) end,
            0
        ) as weight_scale
    from floors
    left join strategy_features as features
        on floors.cohort_id = features.cohort_id
        and floors.strategy = features.strategy

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
        cohort_priors.prior_mean,
        stats.raters::float8 / (stats.raters + {{ vote_floor }}) * stats.mean_rating::float8
        + {{ vote_floor }}::float8 / (stats.raters + {{ vote_floor }}) * cohort_priors.prior_mean
            as bayesian_mean,
        (
            stats.positive_share::float8 + {{ z }} ^ 2 / (2 * stats.raters)
            - {{ z }} * sqrt(
                stats.positive_share::float8 * (1 - stats.positive_share::float8) / stats.raters
                + {{ z }} ^ 2 / (4 * stats.raters ^ 2)
            )
        ) / (1 + {{ z }} ^ 2 / stats.raters) as wilson_lower_bound,
        (stats.high_share >= {{ consensus_share }})::integer as consensus_bonus
    from stats
    inner join cohort_priors on stats.cohort_id = cohort_priors.cohort_id

),

scored as (

    select
        components.*,
        strategies.strategy,
        strategies.missing_inputs,
        strategies.weight_scale,
        strategies.renormalization_note,
        strategies.cohort_min_raters as min_raters,
        components.raters >= strategies.cohort_min_raters as meets_floor,
        (components.like_rate - strategies.like_rate_mean)
        / nullif(strategies.like_rate_sd, 0) as z_like_rate,
        (components.favorite_rate - strategies.favorite_rate_mean)
        / nullif(strategies.favorite_rate_sd, 0) as z_favorite_rate,
        (components.crowd_share - strategies.crowd_share_mean)
        / nullif(strategies.crowd_share_sd, 0) as z_crowd_share,
        (components.stddev_rating - strategies.stddev_mean)
        / nullif(strategies.stddev_sd, 0) as z_stddev,
        strategies.w_bayesian,
        strategies.w_wilson,
        strategies.w_like,
        strategies.w_favorite,
        strategies.w_consensus,
        strategies.w_crowd,
        strategies.w_volatility
    from components
    inner join renormalizations as strategies
        on components.cohort_id = strategies.cohort_id

),

weighted as (

    select
        *,
        weight_scale * (
            w_bayesian * bayesian_mean
            + w_wilson * wilson_lower_bound
            + w_like * coalesce(z_like_rate, 0)
            + w_favorite * coalesce(z_favorite_rate, 0)
            + w_consensus * consensus_bonus
            + w_crowd * coalesce(z_crowd_share, 0)
            - w_volatility * coalesce(z_stddev, 0)
        ) as score
    from scored

),

ranked as (

    -- ranked where scored: ranking a narrow projection and joining it back to the scores
    -- costs a second sort and a merge join, twice the time on the demo's 150,000 rows
    select
        *,
        row_number() over cohort_strategy as rank,
        1 - percent_rank() over cohort_strategy as percentile
    from weighted
    window cohort_strategy as (
        partition by cohort_id, strategy, meets_floor
        order by score desc, raters desc, film_id asc
    )

)

select
    ranked.cohort_id,
    ranked.cohort,
    ranked.strategy,
    ranked.film_id,
    -- what a reader of a ranking needs beside the id (no join to dim_films)
    films.title,
    films.release_year,
    case when ranked.meets_floor then ranked.rank end as rank,
    ranked.score,
    case when ranked.meets_floor then ranked.percentile end as percentile,
    case
        when not ranked.meets_floor then null
        when ranked.percentile >= 0.99 then 'top 1%'
        when ranked.percentile >= 0.90 then 'top 10%'
        when ranked.percentile >= 0.75 then 'top 25%'
        when ranked.percentile >= 0.50 then 'top 50%'
        else 'bottom 50%'
    end as percentile_bucket,
    ranked.min_raters,
    ranked.meets_floor,
    ranked.watchers,
    ranked.raters,
    ranked.mean_rating,
    ranked.bayesian_mean,
    {{ vote_floor }} as vote_floor,
    ranked.prior_mean,
    ranked.wilson_lower_bound,
    {{ positive_stars }}::float8 as wilson_positive_stars,
    ranked.like_rate,
    ranked.z_like_rate,
    ranked.favorite_rate,
    ranked.z_favorite_rate,
    ranked.high_share,
    ranked.consensus_bonus,
    ranked.crowd_share,
    ranked.z_crowd_share,
    ranked.stddev_rating,
    ranked.z_stddev,
    ranked.weight_scale,
    ranked.missing_inputs,
    ranked.renormalization_note
from ranked
left join {{ ref('dim_films') }} as films on ranked.film_id = films.film_id
