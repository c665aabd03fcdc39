{#- What the casting slate needs to know about each person of the long table beyond their
    roles there: how much of their work is acting, across every credit any source gives
    (`bridge_film_people`: director, writer, crew, Oscar nominee and acting roles alike),
    and the year they died where a source knows it. The IMDb datasets' name.basics
    (`deathYear`) is the one such source: it is joined on the IMDb nm id, so death years
    appear when that connector has run and stay null otherwise. -#}
with

credits as (
    select
        person_id,
        count(*) as credits,
        count(*) filter (where role in ('lead_actor', 'actor')) as acting_credits
    from {{ ref('bridge_film_people') }}
    group by person_id
),

casting_people as (
    select distinct actor_id as person_id
    from {{ ref('fct_casting_credits') }}
),

imdb_deaths as (
    select
        imdb_person_id,
        max(death_year) as death_year
    from {{ ref('stg_imdb_datasets__names') }}
    where death_year is not null
    group by imdb_person_id
)

select
    people.person_id,
    people.name,
    credits.credits,
    credits.acting_credits,
    credits.acting_credits::float8 / credits.credits as acting_share,
    imdb_deaths.death_year,
    case when imdb_deaths.death_year is not null then 'imdb_datasets' end as death_year_source
from casting_people
inner join {{ ref('dim_people') }} as people on casting_people.person_id = people.person_id
inner join credits on casting_people.person_id = credits.person_id
left join imdb_deaths on people.imdb_person_id = imdb_deaths.imdb_person_id
