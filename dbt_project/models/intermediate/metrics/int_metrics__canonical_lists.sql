{#- Canonical list entries: ranked lists give their rank (best rank when a film appears
    twice), the others a boolean 1. The National Film Registry is observed in its induction
    year; every other list at its edition's date, from the metric_feeds seed (observed_at
    null here). A list this model does not know keeps a null metric_code, which a warning
    test reports and the union leaves out. -#}

with

entries as (

    select * from {{ ref('stg_canonical_lists__entries') }}

),

films as (

    {{ metric_source_films('canonical_lists') }}

),

coded as (

    select
        films.film_id,
        entries.source_row,
        entries.list_code,
        entries.induction_year,
        case entries.list_code
            when 'afi_top_100' then 'afi_top_100'
            when 'bfi_top_100' then 'bfi_top_100'
            when 'sight_sound' then 'sight_sound_rank'
            when 'nfr' then 'nfr_preserved'
            when 'criterion_collection' then 'criterion_collection'
            when '1001_movies' then '1001_movies'
        end as metric_code,
        case
            when entries.list_code in ('afi_top_100', 'bfi_top_100', 'sight_sound')
                then entries.list_rank::float8
            else 1.0::float8
        end as raw_value
    from entries
    inner join films on entries.source_row::text = films.source_key

)

select
    film_id,
    metric_code,
    'canonical_lists' as source,
    min(raw_value) as raw_value,
    {{ utc_year_start('min(induction_year)') }} as observed_at,
    jsonb_build_object('source_rows', array_agg(source_row order by source_row)) as detail
from coded
where raw_value is not null
group by film_id, metric_code
