{#- "Most rated this week" per cohort: the top var digest_size (default 10) films of each
    ISO week (Monday, UTC) by the number of cohort members who rated or liked them. -#}

{%- set digest_size = var('digest_size', 10) -%}

with

weekly as (

    select
        members.cohort_id,
        members.cohort,
        (date_trunc('week', ratings.rated_at, 'UTC') at time zone 'UTC')::date as week_start,
        ratings.film_id,
        count(distinct ratings.user_id) as members_active,
        count(ratings.rating) as ratings,
        count(*) filter (where ratings.liked) as likes,
        avg(ratings.rating) as mean_rating
    from {{ ref('fct_ratings') }} as ratings
    inner join {{ ref('cohort_members') }} as members on ratings.user_id = members.user_id
    group by 1, 2, 3, 4

),

ranked as (

    select
        *,
        row_number() over (
            partition by cohort_id, week_start order by members_active desc, likes desc, film_id
        ) as rank
    from weekly

)

select * from ranked
where rank <= {{ digest_size }}
