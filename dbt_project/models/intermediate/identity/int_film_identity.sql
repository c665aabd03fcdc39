{#-
    Resolves every film mention of every source to one film key.

    1. A mention with an IMDb id is that film ("imdb:<tt id>").
    2. A mention without one matches an IMDb-keyed film on normalised title with a
       release year within one year; the nearest year wins, a tie at the nearest year
       goes to the one film that shares a director with the mention, and is otherwise
       ambiguous (left unresolved, never guessed).
    3. The remaining mentions cluster among themselves: same normalised title, years
       chained at most one year apart ("title:<normalised title>:<first year>").
    4. Mentions with neither an IMDb id nor a title and year cannot be resolved.
    Unresolved rows keep film_key null and say why; marts expose them.
-#}

with

mentions as (

    select * from {{ ref('int_film_mentions') }}

),

sources as (

    select * from {{ ref('identity_sources') }}

),

---------- 1. IMDb-keyed films, with the most trusted title and year known for each id

anchors as (

    select distinct on (mentions.imdb_id)
        mentions.imdb_id,
        mentions.title_normalized,
        mentions.release_year
    from mentions
    inner join sources on mentions.source = sources.source
    where mentions.imdb_id is not null
    order by
        mentions.imdb_id,
        mentions.title_normalized is null,
        mentions.release_year is null,
        sources.title_priority

),

by_imdb_id as (

    select
        source,
        source_key,
        'imdb:' || imdb_id as film_key,
        'imdb_id' as match_rule,
        1.0 as confidence,
        null::text as unresolved_reason
    from mentions
    where imdb_id is not null

),

---------- 2. title + year (within one year) against the IMDb-keyed films

directors as (

    select film_source as source, film_source_key as source_key, name_normalized
    from {{ ref('int_person_mentions') }}
    where role = 'director'

),

anchor_directors as (

    select distinct mentions.imdb_id, directors.name_normalized
    from mentions
    inner join directors
        on mentions.source = directors.source
        and mentions.source_key = directors.source_key
    where mentions.imdb_id is not null

),

title_candidates as (

    select
        mentions.source,
        mentions.source_key,
        anchors.imdb_id,
        abs(mentions.release_year - anchors.release_year) as year_gap,
        exists(
            select 1
            from directors
            inner join anchor_directors
                on directors.name_normalized = anchor_directors.name_normalized
            where directors.source = mentions.source
                and directors.source_key = mentions.source_key
                and anchor_directors.imdb_id = anchors.imdb_id
        ) as shares_director
    from mentions
    inner join anchors
        on mentions.title_normalized = anchors.title_normalized
        and abs(mentions.release_year - anchors.release_year) <= 1
    where mentions.imdb_id is null

),

nearest_candidates as (

    select
        *,
        count(*) over mention as candidates,
        count(*) filter (where shares_director) over mention as candidates_sharing_director
    from (
        select
            *,
            rank() over (partition by source, source_key order by year_gap) as gap_rank
        from title_candidates
    ) as ranked
    where gap_rank = 1
    window mention as (partition by source, source_key)

),

by_title_year as (

    -- The nearest year wins; a tie is broken by a shared director, else left ambiguous.
    select distinct on (source, source_key)
        source,
        source_key,
        case
            when candidates = 1 or candidates_sharing_director = 1 then 'imdb:' || imdb_id
        end as film_key,
        case
            when candidates > 1 then 'title_year_director'
            when year_gap = 0 then 'title_exact_year'
            else 'title_year_within_1'
        end as match_rule,
        case
            when candidates > 1 and candidates_sharing_director <> 1 then 0.0
            when candidates > 1 then 0.9
            when year_gap = 0 then 0.95
            else 0.8
        end as confidence,
        case
            when candidates > 1 and candidates_sharing_director <> 1
                then 'ambiguous: ' || candidates
                    || ' IMDb-keyed films share this title within one year'
        end as unresolved_reason
    from nearest_candidates
    where candidates = 1 or candidates_sharing_director <> 1 or shares_director
    order by source, source_key, imdb_id

),

---------- 3. the rest cluster among themselves: same title, years chained <= 1 apart

unanchored as (

    select mentions.*
    from mentions
    where mentions.imdb_id is null
        and mentions.title_normalized is not null
        and mentions.release_year is not null
        and not exists (
            select 1
            from title_candidates
            where title_candidates.source = mentions.source
                and title_candidates.source_key = mentions.source_key
        )

),

year_gaps as (

    select
        *,
        release_year - lag(release_year) over (
            partition by title_normalized order by release_year, source, source_key
        ) as gap_to_previous
    from unanchored

),

islands as (

    select
        *,
        sum(case when gap_to_previous is null or gap_to_previous > 1 then 1 else 0 end) over (
            partition by title_normalized
            order by release_year, source, source_key
            rows unbounded preceding
        ) as island
    from year_gaps

),

by_cluster as (

    select
        source,
        source_key,
        'title:' || title_normalized || ':'
        || min(release_year) over (partition by title_normalized, island) as film_key,
        'title_year_cluster' as match_rule,
        case
            when release_year = min(release_year) over (partition by title_normalized, island)
                then 0.9
            else 0.75
        end as confidence,
        null::text as unresolved_reason
    from islands

),

---------- 4. nothing to match on

unresolvable as (

    select
        source,
        source_key,
        null::text as film_key,
        'none' as match_rule,
        0.0 as confidence,
        case
            when title_normalized is null then 'no IMDb id and no title'
            else 'no IMDb id and no release year'
        end as unresolved_reason
    from mentions
    where imdb_id is null
        and (title_normalized is null or release_year is null)

),

resolved as (

    select * from by_imdb_id
    union all
    select * from by_title_year
    union all
    select * from by_cluster
    union all
    select * from unresolvable

)

select
    resolved.source,
    resolved.source_key,
    resolved.film_key,
    case
        when resolved.film_key is not null then {{ surrogate_id('resolved.film_key') }}
    end as film_id,
    resolved.match_rule,
    resolved.confidence::numeric(3, 2) as confidence,
    resolved.unresolved_reason,
    mentions.title,
    mentions.title_normalized,
    mentions.release_year,
    mentions.imdb_id
from resolved
inner join mentions
    on resolved.source = mentions.source
    and resolved.source_key = mentions.source_key
