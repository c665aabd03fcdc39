{#- The films of each director and actor as each cohort scores them, for the people marts:
    one row per cohort, film, person and role, with the film's score and percentile under
    var people_strategy (default 'bayesian') and its raters. -#}

select
    rankings.cohort_id,
    rankings.cohort,
    rankings.film_id,
    credits.person_id,
    credits.role,
    rankings.strategy,
    rankings.score,
    rankings.percentile,
    rankings.raters
from {{ ref('film_rankings') }} as rankings
inner join {{ ref('int_film_credits') }} as credits on rankings.film_id = credits.film_id
where rankings.strategy = '{{ var("people_strategy", "bayesian") }}'
