{#- Match rates per source: how each source's rows resolved to films. -#}

with

shared as (

    -- films that more than one source knows (real cross-source matches)
    select film_id
    from {{ ref('int_film_identity') }}
    where film_id is not null
    group by film_id
    having count(distinct source) > 1

)

select
    identity.source,
    count(*) as source_rows,
    count(*) filter (where identity.match_rule = 'imdb_id') as by_imdb_id,
    count(*) filter (
        where identity.match_rule = 'title_exact_year' and identity.film_id is not null
    ) as by_title_exact_year,
    count(*) filter (
        where identity.match_rule = 'title_year_within_1' and identity.film_id is not null
    ) as by_title_year_within_1,
    count(*) filter (
        where identity.match_rule = 'title_year_director' and identity.film_id is not null
    ) as by_title_year_director,
    count(*) filter (where identity.match_rule = 'title_year_cluster') as by_title_year_cluster,
    count(*) filter (
        where identity.film_id is null and identity.unresolved_reason like 'ambiguous%'
    ) as ambiguous,
    count(*) filter (
        where identity.film_id is null and identity.unresolved_reason not like 'ambiguous%'
    ) as unresolvable,
    count(distinct identity.film_id) as films,
    round(100.0 * count(*) filter (where identity.film_id is not null) / count(*), 2)
        as resolved_pct,
    -- share of rows tied to a film another source also knows
    round(100.0 * count(*) filter (where shared.film_id is not null) / count(*), 2)
        as cross_source_pct
from {{ ref('int_film_identity') }} as identity
left join shared on identity.film_id = shared.film_id
group by identity.source
order by identity.source
