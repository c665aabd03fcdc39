{#- The recognition of each credited film, as the registry observes and normalises it:
    festival prizes and selections, canonical-list entries and the Oscar record (film-level
    nominations and wins). known_year is when it became known (the festival edition, the
    list's induction year or vintage, the Oscar ceremony), so the as-of history counts it
    only in later years. is_prize marks a win (festival prize, Oscar wins), for counts. -#}

with

credited_films as (

    select distinct film_id from {{ ref('int_people__credits') }}

),

observations as (

    {% for kind, source in [
        ('festival', 'festivals'), ('canonical', 'canonical_lists'), ('oscar', 'oscars')
    ] -%}
    select film_id, metric_code, source, raw_value, observed_at, '{{ kind }}' as kind
    from {{ ref('int_metrics__' ~ source) }}
    where metric_code is not null
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

definitions as (

    select * from {{ ref('metric_definitions') }}

)

select
    observations.film_id,
    observations.kind,
    observations.metric_code,
    observations.raw_value,
    {{ normalize_metric('observations.raw_value', 'definitions') }} as normalized_value,
    extract(year from coalesce(
        observations.observed_at, feeds.vintage::timestamp at time zone 'UTC'
    ) at time zone 'UTC')::integer as known_year,
    case
        when observations.kind = 'festival' then observations.metric_code not like '%\_selection'
        else observations.metric_code = 'oscar_wins'
    end as is_prize
from observations
inner join credited_films on observations.film_id = credited_films.film_id
inner join definitions on observations.metric_code = definitions.code
left join {{ ref('metric_feeds') }} as feeds
    on observations.metric_code = feeds.metric_code
    and observations.source = feeds.source
