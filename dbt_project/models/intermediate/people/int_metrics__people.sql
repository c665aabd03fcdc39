{#- The person-quality metrics of every film, as the registry's per-source contract asks
    (source 'calculated'), as of the film's release: the film's gravitas and director /
    lead / supporting PQS from movie_gravitas_asof, and the means over the film's directors
    (festival, canonical, peer scores; longevity as career years, the registry's raw scale)
    and over its cast (awards, genre versatility) of their person_quality_asof rows of the
    release year, over the credits known at release. The current scores know every later
    award, the film's own included, so a score or search built on them would reward a film
    for its own Oscars; the current gravitas rides along in detail as
    current_gravitas_score, labelled, never as the value. observed_at is when the scores
    were calculated; detail names the people, the calculation version and, for gravitas,
    the components. -#}

with

gravitas as (

    select
        asof.*,
        current_scores.total_gravitas_score as current_gravitas_score
    from {{ ref('stg_ml__movie_gravitas_asof') }} as asof
    left join {{ ref('stg_ml__movie_gravitas_scores') }} as current_scores
        on asof.film_id = current_scores.film_id

),

film_people as (

    select
        credits.film_id,
        credits.credit_role,
        scores.*
    from {{ ref('int_people__credits') }} as credits
    inner join {{ ref('stg_ml__person_quality_asof') }} as scores
        on credits.person_id = scores.person_id
        and credits.pqs_role = scores.role
        and credits.release_year = scores.year
    where credits.known_year <= credits.release_year

),

team_means as (

    select
        film_id,
        case when credit_role = 'director' then 'directors' else 'cast' end as team,
        avg(festival_score) as festival_score,
        avg(canonical_score) as canonical_score,
        avg(career_years) as career_years,
        avg(peer_recognition_score) as peer_recognition_score,
        avg(awards_score) as awards_score,
        avg(genre_versatility_score) as genre_versatility_score,
        max(calculated_at) as calculated_at,
        jsonb_build_object(
            'basis', 'as_of_release',
            'as_of_year', max(year) - 1,
            'person_ids', array_agg(person_id order by person_id),
            'calculation_version', max(calculation_version)
        ) as detail
    from film_people
    where credit_role in ('director', 'lead_actor', 'actor')
    group by film_id, case when credit_role = 'director' then 'directors' else 'cast' end

),

observations as (

    select
        gravitas.film_id,
        measures.metric_code,
        measures.raw_value,
        gravitas.calculated_at as observed_at,
        jsonb_build_object(
            'basis', 'as_of_release',
            'as_of_year', gravitas.release_year - 1,
            'components_present', gravitas.components_present,
            'components_hash', gravitas.components_hash,
            'calculation_version', gravitas.calculation_version,
            'current_gravitas_score', gravitas.current_gravitas_score
        ) as detail
    from gravitas
    cross join
        lateral (
            values
            ('movie_gravitas_score', gravitas.total_gravitas_score),
            ('director_pqs', gravitas.director_pqs),
            ('lead_actor_pqs', gravitas.lead_actors_pqs),
            ('supporting_cast_pqs', gravitas.supporting_cast_pqs)
        ) as measures (metric_code, raw_value)

    union all

    select
        team_means.film_id,
        measures.metric_code,
        measures.raw_value,
        team_means.calculated_at,
        team_means.detail
    from team_means
    cross join
        lateral (
            values
            ('directors', 'director_festival_score', team_means.festival_score),
            ('directors', 'director_canonical_score', team_means.canonical_score),
            ('directors', 'director_longevity_score', team_means.career_years),
            ('directors', 'director_peer_score', team_means.peer_recognition_score),
            ('cast', 'cast_awards_score', team_means.awards_score),
            ('cast', 'cast_versatility_score', team_means.genre_versatility_score)
        ) as measures (team, metric_code, raw_value)
    where measures.team = team_means.team

)

select
    film_id,
    metric_code,
    'calculated' as source,
    raw_value::float8 as raw_value,
    observed_at,
    detail
from observations
where raw_value is not null
