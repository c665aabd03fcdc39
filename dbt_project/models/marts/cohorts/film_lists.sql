{#- Which films are on which list, for list intersections of the rankings: canonical lists
    (AFI, Sight & Sound, National Film Registry) and festival slates (competition selections
    and prizes), resolved to films through bridge_film_sources. A person's filmography comes
    from bridge_film_people instead. -#}

with

canonical as (

    select
        bridge.film_id,
        'canonical_list' as list_kind,
        entries.list_code as list_name,
        null::text as detail,
        coalesce(entries.list_rank, entries.induction_year) as list_position
    from {{ ref('stg_canonical_lists__entries') }} as entries
    inner join {{ ref('bridge_film_sources') }} as bridge
        on bridge.source = 'canonical_lists' and bridge.source_key = entries.source_row::text

),

festivals as (

    select
        bridge.film_id,
        'festival' as list_kind,
        awards.festival as list_name,
        awards.award as detail,
        awards.edition_year as list_position
    from {{ ref('stg_festivals__awards') }} as awards
    inner join {{ ref('bridge_film_sources') }} as bridge
        on bridge.source = 'festivals' and bridge.source_key = awards.source_row::text

)

select distinct * from canonical
union
select distinct * from festivals
