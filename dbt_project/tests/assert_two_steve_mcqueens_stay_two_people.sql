-- The actor (nm0000537) and the director (nm2588606) share a name and must stay two people,
-- each credited on his own films.
select imdb_person_id
from (values ('nm0000537'), ('nm2588606')) as expected (imdb_person_id)
where (
    select count(*) from {{ ref('dim_people') }} as people
    where people.imdb_person_id = expected.imdb_person_id
) <> 1

union all

select 'nm2588606 must direct 12 Years a Slave' as imdb_person_id
where not exists (
        select 1
        from {{ ref('bridge_film_people') }} as credits
        inner join {{ ref('dim_people') }} as people on credits.person_id = people.person_id
        inner join {{ ref('dim_films') }} as films on credits.film_id = films.film_id
        where people.imdb_person_id = 'nm2588606'
            and credits.role = 'director'
            and films.title_normalized = '12 years a slave'
    )

union all

-- Shame credits him twice by name only (director and writer): one person, the director.
select 'nm2588606 must be both director and writer of Shame' as imdb_person_id
where (
    select count(distinct credits.role)
    from {{ ref('bridge_film_people') }} as credits
    inner join {{ ref('dim_people') }} as people on credits.person_id = people.person_id
    inner join {{ ref('dim_films') }} as films on credits.film_id = films.film_id
    where people.imdb_person_id = 'nm2588606'
        and credits.role in ('director', 'writer')
        and films.title_normalized = 'shame'
) <> 2
