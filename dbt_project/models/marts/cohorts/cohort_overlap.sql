{#- How alike two cohorts' top lists are: the Jaccard similarity of their Top N (50, 100,
    250) for each strategy, for every pair of cohorts (each pair once, cohort_a < cohort_b). -#}

with

tops as (

    select rankings.cohort, rankings.strategy, sizes.top_n, rankings.film_id
    from {{ ref('film_rankings') }} as rankings
    cross join (values (50), (100), (250)) as sizes (top_n)
    where rankings.rank <= sizes.top_n

),

sizes as (

    select cohort, strategy, top_n, count(*) as films
    from tops
    group by cohort, strategy, top_n

),

shared as (

    select a.cohort as cohort_a, b.cohort as cohort_b, a.strategy, a.top_n, count(*) as shared_films
    from tops as a
    inner join tops as b
        on a.film_id = b.film_id and a.strategy = b.strategy and a.top_n = b.top_n
        and a.cohort < b.cohort
    group by a.cohort, b.cohort, a.strategy, a.top_n

)

select
    a.cohort as cohort_a,
    b.cohort as cohort_b,
    a.strategy,
    a.top_n,
    coalesce(shared.shared_films, 0) as shared_films,
    coalesce(shared.shared_films, 0)::float8
    / (a.films + b.films - coalesce(shared.shared_films, 0)) as jaccard
from sizes as a
inner join sizes as b on a.strategy = b.strategy and a.top_n = b.top_n and a.cohort < b.cohort
left join shared
    on a.cohort = shared.cohort_a and b.cohort = shared.cohort_b
    and a.strategy = shared.strategy and a.top_n = shared.top_n
