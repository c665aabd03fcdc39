{#- Match rates per source: how each source's rows resolved to films. -#}

select
    source,
    count(*) as source_rows,
    count(*) filter (where match_rule = 'imdb_id') as by_imdb_id,
    count(*) filter (where match_rule = 'title_exact_year' and film_id is not null) as by_title_exact_year,
    count(*) filter (where match_rule = 'title_year_within_1' and film_id is not null) as by_title_year_within_1,
    count(*) filter (where match_rule = 'title_year_director' and film_id is not null) as by_title_year_director,
    count(*) filter (where match_rule = 'title_year_cluster') as by_title_year_cluster,
    count(*) filter (where film_id is null and unresolved_reason like 'ambiguous%') as ambiguous,
    count(*) filter (where film_id is null and unresolved_reason not like 'ambiguous%') as unresolvable,
    count(distinct film_id) as films,
    round(100.0 * count(*) filter (where film_id is not null) / count(*), 2) as resolved_pct,
    -- share of rows tied to a film another source also knows (real cross-source matches)
    round(100.0 * count(*) filter (where shared.film_id is not null) / count(*), 2) as cross_source_pct
from {{ ref('int_film_identity') }} as identity
left join (
    select film_id
    from {{ ref('int_film_identity') }}
    where film_id is not null
    group by film_id
    having count(distinct source) > 1
) as shared using (film_id)
group by source
order by source
