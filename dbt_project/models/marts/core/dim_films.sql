{#- One row per real film. Title and year are consensus, each source voting once:
    - the year: each source's median (lower middle) year for the film, then the vote
      closest to all the others (least total distance, a median), a tie going to the
      source with the most trusted title (identity_sources.title_priority). One list's
      wrong year (There Will Be Blood, 2002) or an Oscar eligibility year (Umberto D.,
      1956) is outvoted by the sources that agree;
    - the title: the normalised title most sources give, a tie going to the most trusted
      source, spelled as the most trusted source of that title spells it ('E.T. the
      Extra-Terrestrial', not the one list's 'E.T.').
    Genres from every source that has them, and how many sources know the film. -#}

{{ config(indexes=[
    {'columns': ['film_id'], 'unique': true},
    {'columns': ['imdb_id']},
]) }}

with

identity as (

    select identity.*, sources.title_priority
    from {{ ref('int_film_identity') }} as identity
    inner join {{ ref('identity_sources') }} as sources on identity.source = sources.source
    where identity.film_id is not null

),

year_votes as (

    select
        film_id,
        source,
        min(title_priority) as title_priority,
        percentile_disc(0.5) within group (order by usable_year) as release_year
    from identity
    where usable_year is not null
    group by film_id, source

),

years as (

    -- PostgreSQL's distinct on keeps one row per film after the vote count, not a distinct.
    select distinct on (vote.film_id)  -- noqa: AM01
        vote.film_id,
        vote.release_year
    from year_votes as vote
    inner join year_votes as other on vote.film_id = other.film_id
    group by vote.film_id, vote.source, vote.release_year, vote.title_priority
    order by vote.film_id, sum(abs(vote.release_year - other.release_year)), vote.title_priority

),

title_votes as (

    select
        film_id,
        title_normalized,
        count(distinct source) as sources,
        min(title_priority) as title_priority
    from identity
    where title_normalized is not null
    group by film_id, title_normalized

),

spellings as (

    select distinct on (film_id, title_normalized)
        film_id,
        title_normalized,
        title
    from identity
    where title_normalized is not null
    order by film_id, title_normalized, title_priority, title

),

titles as (

    select distinct on (title_votes.film_id)
        title_votes.film_id,
        title_votes.title_normalized,
        spellings.title
    from title_votes
    inner join spellings
        on title_votes.film_id = spellings.film_id
        and title_votes.title_normalized = spellings.title_normalized
    order by title_votes.film_id asc, title_votes.sources desc, title_votes.title_priority asc

),

coverage as (

    select
        film_id,
        min(film_key) as film_key,
        max(imdb_id) as imdb_id,
        array_agg(distinct source order by source) as sources,
        count(*) as source_rows
    from identity
    group by film_id

),

genres as (

    select
        film_id,
        array_agg(distinct genre order by genre) as genres
    from {{ ref('int_film_genres') }}
    group by film_id

)

select
    coverage.film_id,
    coverage.film_key,
    titles.title,
    -- what lists show: a film no source gives a title is named by its IMDb id, never blank
    coalesce(titles.title, 'imdb:' || coverage.imdb_id, 'film:' || coverage.film_id)
        as film_label,
    titles.title_normalized,
    years.release_year,
    coverage.imdb_id,
    coalesce(genres.genres, '{}'::text[]) as genres,
    coverage.sources,
    cardinality(coverage.sources) as source_count,
    coverage.source_rows
from coverage
left join titles on coverage.film_id = titles.film_id
left join years on coverage.film_id = years.film_id
left join genres on coverage.film_id = genres.film_id
