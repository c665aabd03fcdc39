{#- The picks for BI, with the film's title. The companion reads ml.personal_picks itself
    (one indexed read, fresher than this mart); this is a copy for dashboards. -#}
{{ config(indexes=[{'columns': ['user_id', 'rank'], 'unique': true}]) }}

select
    picks.*,
    films.title,
    films.release_year
from {{ ref('stg_ml__personal_picks') }} as picks
left join {{ ref('dim_films') }} as films on picks.film_id = films.film_id
