{#-
    Resolves every film mention of every source to one film key.

    1. A mention with an IMDb id is that film ("imdb:<tt id>"; rule imdb_id).
    2. A mention without one matches the IMDb-keyed films by any of its names
       (int_film_titles) against any name the film's id-bearing rows give, with its year
       within one year of any year those rows give (int_film_anchors). A candidate passes
       the director check when the two sides share a director (`names_compatible`: word
       order, accents, honorifics and initials ignored, the Oscar short-film nominees
       being their film's directors) or one side knows none; a failed check is never a
       match, and is reported (rejected_matches). The passing candidates rank by a shared
       director, then a match of main titles, then the nearest year; several films tied
       at the top leave the mention ambiguous (unresolved, never guessed). A row that
       cannot check directors does not take a film a row of the same title and year was
       turned away from when that year differs from the film's. Rule title_year when the main titles matched, alt_title_year
       otherwise.
    3. Rows still unmatched try again against the names of the rows step 2 matched
       (MovieLens' 'Seven (a.k.a. Se7en)' brings 'Se7en' to tt0114369): alt_title_year.
    4. Rows still unmatched that name a director: the fuzzy pass (director_fuzzy) takes
       the film sharing a director, within a year, whose name is similar (pg_trgm
       similarity >= {{ var('identity_title_similarity') }}) or contains or is contained
       in the row's at word boundaries ('E.T.' / 'E.T. the Extra-Terrestrial', 'Star Wars'
       / 'Star Wars Ep. IV: A New Hope'); the most similar wins, a tie matches nothing.
    5. One source names a film once: when two rows of a source without ids reach the
       same film with different titles or years, the best-ranked (title_year before
       alt_title_year before director_fuzzy, then a shared director, then the nearest
       year) keeps it and the others go on to step 6: 'Back to the Future Part III'
       reaches Part II by the fuzzy pass, and Part II's own rows keep it.
    6. The rest cluster among themselves: same normalised title, years chained at most
       one year apart, except where a source has a row in both years (two films)
       ("title:<normalised title>:<first year>"; rule cluster).
    7. Mentions with neither an IMDb id nor a title and usable year cannot be resolved.
    Unresolved rows keep film_key null and say why; marts expose them.
-#}

with

mentions as (

    select * from {{ ref('int_film_mentions') }}

),

titles as (

    select * from {{ ref('int_film_titles') }}

),

film_years as (

    select anchors.imdb_id, years.release_year
    from {{ ref('int_film_anchors') }} as anchors
    cross join lateral unnest(anchors.years) as years (release_year)

),

mention_directors as (

    {{ director_mentions() }}

),

---------- 1. IMDb-keyed films and their names and directors

keyed as (

    select * from mentions
    where imdb_id is not null

),

keyed_titles as (

    select distinct
        keyed.imdb_id,
        titles.title,
        titles.title_normalized,
        titles.title_kind = 'title' as is_main
    from keyed
    inner join titles
        on keyed.source = titles.source
        and keyed.source_key = titles.source_key

),

keyed_directors as (

    select distinct keyed.imdb_id, mention_directors.name_key
    from keyed
    inner join mention_directors
        on keyed.source = mention_directors.source
        and keyed.source_key = mention_directors.source_key

),

---------- 2. every name of a row without an id against every name of the keyed films

unkeyed as (

    select *
    from mentions
    where imdb_id is null
        and title_normalized is not null
        and usable_year is not null

),

unkeyed_titles as (

    select
        unkeyed.source,
        unkeyed.source_key,
        unkeyed.title_normalized as row_title,
        unkeyed.usable_year as release_year,
        titles.title_normalized,
        titles.title_kind = 'title' as is_main
    from unkeyed
    inner join titles
        on unkeyed.source = titles.source
        and unkeyed.source_key = titles.source_key

),

first_candidates as (

    select *
    from {{ film_match_candidates('unkeyed_titles', 'keyed_titles', 'keyed_directors') }}
        as candidates

),

turned_away as (

    -- a year apart only: when title and year are the same, the rejected row's director
    -- list is as likely to be incomplete (vega credits Gone with the Wind to George Cukor)
    select row_title, row_year, imdb_id
    from first_candidates
    where both_known and not shares_director and year_gap > 0

),

first_matches as (

    select * from {{ chosen_film_matches('first_candidates', 'turned_away') }} as chosen

),

---------- 3. again, against the names of the rows step 2 matched

matched_titles as (

    select * from keyed_titles

    union

    select first_matches.imdb_id, titles.title, titles.title_normalized, false
    from first_matches
    inner join titles
        on first_matches.source = titles.source
        and first_matches.source_key = titles.source_key
    where first_matches.imdb_id is not null

),

matched_directors as (

    select * from keyed_directors

    union

    select first_matches.imdb_id, mention_directors.name_key
    from first_matches
    inner join mention_directors
        on first_matches.source = mention_directors.source
        and first_matches.source_key = mention_directors.source_key
    where first_matches.imdb_id is not null

),

second_titles as (

    select unkeyed_titles.*
    from unkeyed_titles
    where not exists (
            select 1
            from first_matches
            where first_matches.source = unkeyed_titles.source
                and first_matches.source_key = unkeyed_titles.source_key
        )

),

second_candidates as (

    select *
    from {{ film_match_candidates('second_titles', 'matched_titles', 'matched_directors') }}
        as candidates

),

turned_away_again as (

    select * from turned_away
    union
    select row_title, row_year, imdb_id
    from second_candidates
    where both_known and not shares_director and year_gap > 0

),

second_matches as (

    select * from {{ chosen_film_matches('second_candidates', 'turned_away_again') }} as chosen

),

title_matches as (

    select * from first_matches
    union all
    select * from second_matches

),

---------- 4. the fuzzy pass: a shared director, a year within one, a similar name

fuzzy_titles as (

    select second_titles.*
    from second_titles
    where not exists (
            select 1
            from second_matches
            where second_matches.source = second_titles.source
                and second_matches.source_key = second_titles.source_key
        )

),

fuzzy_director_words as (

    select distinct
        mention_directors.source,
        mention_directors.source_key,
        mention_directors.name_key,
        fuzzy_titles.release_year,
        words.word
    from mention_directors
    inner join fuzzy_titles
        on mention_directors.source = fuzzy_titles.source
        and mention_directors.source_key = fuzzy_titles.source_key
    cross join lateral unnest(string_to_array(mention_directors.name_key, ' ')) as words (word)
    where length(words.word) >= 3

),

film_director_words as (

    select distinct matched_directors.*, words.word
    from matched_directors
    cross join lateral unnest(string_to_array(matched_directors.name_key, ' ')) as words (word)
    where length(words.word) >= 3

),

fuzzy_director_pairs as materialized (

    -- a shared word and a year within one first: the name check is the costly part
    select distinct
        mention_words.source,
        mention_words.source_key,
        mention_words.name_key,
        film_words.imdb_id,
        film_words.name_key as film_name_key
    from fuzzy_director_words as mention_words
    inner join film_director_words as film_words on mention_words.word = film_words.word
    inner join film_years
        on film_words.imdb_id = film_years.imdb_id
        and film_years.release_year
        between mention_words.release_year - 1 and mention_words.release_year + 1

),

fuzzy_films as (

    select distinct source, source_key, imdb_id
    from fuzzy_director_pairs
    where {{ names_compatible('name_key', 'film_name_key') }}

),

fuzzy_pairs as (

    select
        fuzzy_films.source,
        fuzzy_films.source_key,
        fuzzy_films.imdb_id,
        fuzzy_titles.is_main and matched_titles.is_main as main_titles,
        abs(film_years.release_year - fuzzy_titles.release_year) as year_gap,
        matched_titles.title as matched_title,
        film_years.release_year as matched_year,
        similarity(fuzzy_titles.title_normalized, matched_titles.title_normalized)
            as title_similarity,
        strpos(
            ' ' || fuzzy_titles.title_normalized || ' ',
            ' ' || matched_titles.title_normalized || ' '
        )
        > 0
        or strpos(
            ' ' || matched_titles.title_normalized || ' ',
            ' ' || fuzzy_titles.title_normalized || ' '
        )
        > 0
            as title_contained
    from fuzzy_films
    inner join fuzzy_titles
        on fuzzy_films.source = fuzzy_titles.source
        and fuzzy_films.source_key = fuzzy_titles.source_key
    inner join film_years
        on fuzzy_films.imdb_id = film_years.imdb_id
        and film_years.release_year between fuzzy_titles.release_year
        - 1 and fuzzy_titles.release_year
        + 1
    inner join matched_titles on fuzzy_films.imdb_id = matched_titles.imdb_id

),

fuzzy_best as (

    select
        *,
        rank() over (
            partition by source, source_key
            order by title_contained desc, title_similarity desc, year_gap asc
        ) as candidate_rank
    from fuzzy_pairs
    where title_contained or title_similarity >= {{ var('identity_title_similarity') }}

),

fuzzy_top as (

    select
        *,
        dense_rank() over (partition by source, source_key order by imdb_id) as film_number
    from fuzzy_best
    where candidate_rank = 1

),

fuzzy_matches as (

    -- the same film may top the ranking through several names: one row per film
    select distinct on (source, source_key)
        source,
        source_key,
        imdb_id,
        max(film_number) over (partition by source, source_key) as tied_films,
        main_titles,
        year_gap,
        matched_title,
        matched_year
    from fuzzy_top
    order by source, source_key, imdb_id, year_gap, matched_title

),

---------- 5. one source names a film once

matches as (

    select
        source,
        source_key,
        imdb_id,
        tied_films,
        case when main_titles then 'title_year' else 'alt_title_year' end as match_rule,
        matched_title,
        matched_year,
        year_gap,
        case when shares_director then 'shared' else 'unknown' end as director_check
    from title_matches

    union all

    select
        source,
        source_key,
        case when tied_films = 1 then imdb_id end,
        tied_films,
        'director_fuzzy',
        matched_title,
        matched_year,
        year_gap,
        'shared'
    from fuzzy_matches

),

ranked_matches as (

    select
        matches.*,
        unkeyed.title_normalized,
        unkeyed.usable_year,
        first_value(unkeyed.title_normalized || ':' || unkeyed.usable_year) over film_source
            as first_row_of_source,
        row_number() over film_source as rank_in_source
    from matches
    inner join unkeyed
        on matches.source = unkeyed.source
        and matches.source_key = unkeyed.source_key
    window film_source as (
        partition by matches.source, matches.imdb_id
        order by
            array_position(
                array['title_year', 'alt_title_year', 'director_fuzzy'], matches.match_rule
            ),
            matches.director_check = 'shared' desc,
            matches.year_gap,
            matches.source_key asc
    )

),

kept_matches as (

    select *
    from ranked_matches
    where imdb_id is null
        or rank_in_source = 1
        or first_row_of_source = title_normalized || ':' || usable_year

),

by_title as (

    select
        source,
        source_key,
        'imdb:' || imdb_id as film_key,
        match_rule,
        case
            when match_rule = 'director_fuzzy' then 0.7
            when director_check = 'shared' then 0.95
            when match_rule = 'title_year' and year_gap = 0 then 0.9
            when match_rule = 'title_year' then 0.8
            else 0.75
        end as confidence,
        matched_title,
        matched_year,
        director_check,
        null::text as unresolved_reason
    from kept_matches
    where imdb_id is not null

    union all

    select
        source,
        source_key,
        null,
        'none',
        0.0,
        null,
        null,
        null,
        'ambiguous: ' || tied_films || ' IMDb-keyed films share this title within one year'
    from kept_matches
    where imdb_id is null

),

by_imdb_id as (

    select
        source,
        source_key,
        'imdb:' || imdb_id as film_key,
        'imdb_id' as match_rule,
        1.0 as confidence,
        null::text as matched_title,
        null::integer as matched_year,
        null::text as director_check,
        null::text as unresolved_reason
    from keyed

),

---------- 6. the rest cluster among themselves: same title, years chained <= 1 apart

unanchored as (

    select unkeyed.*
    from unkeyed
    where not exists (
            select 1
            from kept_matches
            where kept_matches.source = unkeyed.source
                and kept_matches.source_key = unkeyed.source_key
        )

),

year_groups as (

    -- rows of one title and year are one film; neighbouring years chain into one unless a
    -- source has a row in both (two rows of a source a year apart are two films)
    select
        title_normalized,
        usable_year,
        array_agg(distinct source) as sources
    from unanchored
    group by title_normalized, usable_year

),

chained as (

    select
        *,
        usable_year - lag(usable_year) over title_years as gap_to_previous,
        lag(sources) over title_years as previous_sources
    from year_groups
    window title_years as (partition by title_normalized order by usable_year)

),

islands as (

    select
        title_normalized,
        usable_year,
        min(usable_year) over (partition by title_normalized, island) as first_year
    from (
        select
            *,
            sum(
                case
                    when gap_to_previous is null or gap_to_previous > 1 then 1
                    when sources && previous_sources then 1
                    else 0
                end
            ) over (
                partition by title_normalized
                order by usable_year
                rows unbounded preceding
            ) as island
        from chained
    ) as numbered

),

by_cluster as (

    select
        unanchored.source,
        unanchored.source_key,
        'title:' || unanchored.title_normalized || ':' || islands.first_year as film_key,
        'cluster' as match_rule,
        case when unanchored.usable_year = islands.first_year then 0.9 else 0.75 end as confidence,
        null::text as matched_title,
        null::integer as matched_year,
        null::text as director_check,
        null::text as unresolved_reason
    from unanchored
    inner join islands
        on unanchored.title_normalized = islands.title_normalized
        and unanchored.usable_year = islands.usable_year

),

---------- 7. nothing to match on

unresolvable as (

    select
        source,
        source_key,
        null::text as film_key,
        'none' as match_rule,
        0.0 as confidence,
        null::text as matched_title,
        null::integer as matched_year,
        null::text as director_check,
        case
            when title_normalized is null then 'no IMDb id and no title'
            when release_year is null then 'no IMDb id and no release year'
            else 'no IMDb id and a release year outside the years a film can have'
        end as unresolved_reason
    from mentions
    where imdb_id is null
        and (title_normalized is null or usable_year is null)

),

resolved as (

    select * from by_imdb_id
    union all
    select * from by_title
    union all
    select * from by_cluster
    union all
    select * from unresolvable

),

---------- what the director check turned away, for film_identity_issues

rejected as (

    select
        candidates.source,
        candidates.source_key,
        string_agg(
            distinct candidates.imdb_id || ' (' || candidates.matched_title || ', '
            || candidates.matched_year || ')',
            '; '
        ) as rejected_matches
    from (
        select * from first_candidates
        union all
        select * from second_candidates
    ) as candidates
    where candidates.both_known and not candidates.shares_director
    group by candidates.source, candidates.source_key

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
    resolved.matched_title,
    resolved.matched_year,
    resolved.director_check,
    resolved.unresolved_reason,
    rejected.rejected_matches,
    mentions.input_issue,
    mentions.title,
    mentions.title_normalized,
    mentions.release_year,
    mentions.usable_year,
    mentions.imdb_id
from resolved
inner join mentions
    on resolved.source = mentions.source
    and resolved.source_key = mentions.source_key
left join rejected
    on resolved.source = rejected.source
    and resolved.source_key = rejected.source_key
