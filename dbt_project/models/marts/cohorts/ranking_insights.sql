{#- Per cohort and film: the shape of the rating histogram, a consensus label, divergence from
    global opinion, and the percentile bucket of the insight strategy (var insight_strategy,
    default 'extended').

    Shape, from the half-star histogram (bucket_counts[i] raters at i/2 stars): the central
    moments m2..m4, sample skewness G1 and excess kurtosis G2 (bias corrected), Sarle's
    bimodality coefficient BC = (G1^2 + 1) / (G2 + 3(n-1)^2/((n-2)(n-3))) (above 5/9, the
    value of a uniform distribution, suggests two modes), and `modes`: local maxima of the
    whole-star histogram (0.5-1, 1.5-2, ..., 4.5-5 stars; half stars are merged because
    raters favour whole stars, which would make almost every half-star histogram jagged)
    that hold at least 10% of the ratings.

    Labels, the first that applies (films with fewer than var label_min_ratings, default 5,
    ratings get none):
    - Unanimous Praise: at least 80% of raters gave 4 stars or more;
    - Marmite: bimodal, BC > 5/9 and at least two modes;
    - Divisive: standard deviation of at least 1.0 star and at least two modes;
    - Crowd Pleaser: the majority rated between 3 and 4 (3 or 3.5 stars) and the standard
      deviation is at most var crowd_pleaser_max_stddev (default 0.4, the design's value);
    - Mixed: anything else.

    Divergence: the cohort mean minus the `all` cohort's mean, and minus IMDb's mean rating
    halved onto the 5-star scale (ggplot2movies, where the film is there). -#}

{%- set min_ratings = var('label_min_ratings', 5) -%}
{%- set crowd_max_sd = var('crowd_pleaser_max_stddev', 0.4) -%}

with

stats as (

    select
        cohort_id,
        cohort,
        film_id,
        raters,
        mean_rating::float8 as mean_rating,
        stddev_rating::float8 as stddev_rating,
        high_share::float8 as high_share,
        crowd_share::float8 as crowd_share,
        bucket_counts
    from {{ ref('cohort_film_stats') }}
    where raters > 0

),

moments as materialized (

    -- materialized, like shape: inlined, each statistic would re-expand the sums it is built
    -- from wherever it is used, several times per row
    select
        *,
        {%- for power in [2, 3, 4] %}
        (
            {%- for position in range(1, 11) %}
            bucket_counts[{{ position }}] * ({{ position / 2 }} - mean_rating) ^ {{ power }}
            {{- " +" if not loop.last }}
            {%- endfor %}
        ) / raters as m{{ power }},
        {%- endfor %}
    {%- for star in range(1, 6) %}
    bucket_counts[{{ 2 * star - 1 }}] + bucket_counts[{{ 2 * star }}] as whole_{{ star }}
    {{- "," if not loop.last }}
    {%- endfor %}
    from stats

),

shape as materialized (

    select
        *,
        {%- for star in range(1, 6) %}
        (
            whole_{{ star }} > {{ "whole_" ~ (star - 1) if star > 1 else "-1" }}
            and whole_{{ star }} >= {{ "whole_" ~ (star + 1) if star < 5 else "-1" }}
            and whole_{{ star }} >= 0.10 * raters
        )::integer {{- " +" if not loop.last }}
        {%- endfor %} as modes,
        case when raters > 2 and m2 > 0 then
                m3 / m2 ^ 1.5 * sqrt(raters * (raters - 1.0)) / (raters - 2)
        end as skewness,
        case when raters > 3 and m2 > 0 then
                ((raters + 1) * (m4 / m2 ^ 2 - 3) + 6)
                * (raters - 1.0)
                / ((raters - 2) * (raters - 3))
        end as excess_kurtosis
    from moments

),

bimodality as (

    select
        *,
        case when raters > 3 then
                (skewness ^ 2 + 1) / nullif(
                    excess_kurtosis + 3 * (raters - 1.0) ^ 2 / ((raters - 2) * (raters - 3)), 0
                )
        end as bimodality_coefficient
    from shape

),

everyone as (

    select film_id, mean_rating as all_mean_rating
    from {{ ref('cohort_film_stats') }}
    where cohort = 'all'

),

imdb as (

    select film_id, imdb_rating, imdb_votes from {{ ref('int_film_imdb_ratings') }}

),

rankings as (

    select cohort_id, film_id, strategy, percentile, percentile_bucket
    from {{ ref('film_rankings') }}
    where strategy = '{{ var("insight_strategy", "extended") }}'

)

select
    bimodality.cohort_id,
    bimodality.cohort,
    bimodality.film_id,
    bimodality.raters,
    bimodality.mean_rating,
    bimodality.stddev_rating,
    bimodality.high_share,
    bimodality.crowd_share,
    bimodality.skewness,
    bimodality.excess_kurtosis,
    bimodality.bimodality_coefficient,
    bimodality.modes,
    case
        when bimodality.raters < {{ min_ratings }} then null
        when bimodality.high_share >= 0.8 then 'Unanimous Praise'
        when bimodality.bimodality_coefficient > 5.0 / 9 and bimodality.modes >= 2 then 'Marmite'
        when bimodality.stddev_rating >= 1.0 and bimodality.modes >= 2 then 'Divisive'
        when bimodality.crowd_share > 0.5 and bimodality.stddev_rating <= {{ crowd_max_sd }}
            then 'Crowd Pleaser'
        else 'Mixed'
    end as consensus_label,
    everyone.all_mean_rating,
    bimodality.mean_rating - everyone.all_mean_rating as delta_vs_all,
    imdb.imdb_rating,
    imdb.imdb_votes,
    imdb.imdb_rating / 2 as imdb_rating_5,
    bimodality.mean_rating - imdb.imdb_rating / 2 as delta_vs_imdb,
    rankings.strategy as percentile_strategy,
    rankings.percentile,
    rankings.percentile_bucket
from bimodality
left join everyone on bimodality.film_id = everyone.film_id
left join imdb on bimodality.film_id = imdb.film_id
left join rankings
    on bimodality.cohort_id = rankings.cohort_id and bimodality.film_id = rankings.film_id
