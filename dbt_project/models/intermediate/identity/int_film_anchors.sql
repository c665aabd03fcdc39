{#- One row per IMDb id any source gives, with every year its id-bearing rows give: a row
    without an id matches the film when its year is within one year of any of them.
    year_spread > 1 means those sources disagree by more than a year (a list's wrong year,
    an Oscar eligibility year): film_identity_issues lists the film with each source's
    years. Years outside 1870..(this year + 5) are not counted (usable_year). -#}

with

keyed as (

    select imdb_id, source, usable_year
    from {{ ref('int_film_mentions') }}
    where imdb_id is not null

),

source_years as (

    select
        imdb_id,
        source,
        string_agg(distinct usable_year::text, '/' order by usable_year::text) as years
    from keyed
    where usable_year is not null
    group by imdb_id, source

),

described as (

    select
        imdb_id,
        string_agg(years || ' (' || source || ')', ', ' order by years, source) as years_by_source
    from source_years
    group by imdb_id

),

films as (

    select
        imdb_id,
        coalesce(
            array_agg(distinct usable_year order by usable_year)
            filter (where usable_year is not null),
            '{}'::integer[]
        ) as years,
        max(usable_year) - min(usable_year) as year_spread
    from keyed
    group by imdb_id

)

select
    films.imdb_id,
    films.years,
    films.year_spread,
    described.years_by_source
from films
left join described on films.imdb_id = described.imdb_id
