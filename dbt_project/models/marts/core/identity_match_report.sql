{#- Match rates per source: how each source's rows resolved to films, by rule (see
    int_film_identity), and the two shares that say how well sources meet: rows on an
    IMDb-keyed film, and rows on a film another source also knows. The README's table is
    generated from this model (`cinegraph identity report`). -#}

with

identity as (

    select * from {{ ref('int_film_identity') }}

),

shared as (

    select film_id
    from identity
    where film_id is not null
    group by film_id
    having count(distinct source) > 1

)

select
    identity.source,
    count(*) as source_rows,
    count(*) filter (where identity.match_rule = 'imdb_id') as by_imdb_id,
    count(*) filter (where identity.match_rule = 'title_year') as by_title_year,
    count(*) filter (where identity.match_rule = 'alt_title_year') as by_alt_title_year,
    count(*) filter (where identity.match_rule = 'director_fuzzy') as by_director_fuzzy,
    count(*) filter (where identity.match_rule = 'cluster') as by_cluster,
    count(*) filter (where identity.director_check = 'shared') as director_confirmed,
    count(*) filter (where identity.rejected_matches is not null) as director_rejected,
    count(*) filter (
        where identity.film_id is null and identity.unresolved_reason like 'ambiguous%'
    ) as ambiguous,
    count(*) filter (
        where identity.film_id is null and identity.unresolved_reason not like 'ambiguous%'
    ) as unresolvable,
    count(distinct identity.film_id) as films,
    round(100.0 * count(*) filter (where identity.film_id is not null) / count(*), 2)
        as resolved_pct,
    round(100.0 * count(*) filter (where identity.film_key like 'imdb:%') / count(*), 2)
        as imdb_film_pct,
    -- share of rows tied to a film another source also knows (real cross-source matches)
    round(100.0 * count(*) filter (where shared.film_id is not null) / count(*), 2)
        as cross_source_pct
from identity
left join shared on identity.film_id = shared.film_id
group by identity.source
order by identity.source
