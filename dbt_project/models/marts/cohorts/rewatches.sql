{#- Rewatches: a user with several entries for one film, with the ratings in time order and
    how the latest differs from the first. -#}

select
    user_id,
    film_id,
    count(*) as entries,
    min(rated_at) as first_rated_at,
    max(rated_at) as last_rated_at,
    array_agg(rating order by rated_at) as ratings,
    (array_agg(rating order by rated_at desc) filter (where rating is not null))[1]
        - (array_agg(rating order by rated_at) filter (where rating is not null))[1]
        as rating_change
from {{ ref('fct_ratings') }}
group by user_id, film_id
having count(*) > 1
