{#- The picks for BI, with the film's title. The companion reads ml.personal_picks itself
    (one indexed read, fresher than this mart); this is a copy for dashboards. -#}
{{ config(indexes=[{'columns': ['user_id', 'rank'], 'unique': true}]) }}

select
    picks.user_id,
    picks.rank,
    picks.film_id,
    films.title,
    films.release_year,
    picks.predicted_rating,
    picks.confidence,
    picks.score,
    picks.reason,
    picks.discovery_source,
    picks.anchor_film_id,
    picks.anchor_person_id,
    picks.anchor_user_id,
    picks.anchor_conversation_id,
    picks.model_version,
    picks.generated_at
from {{ ref('stg_ml__personal_picks') }} as picks
left join {{ ref('dim_films') }} as films on picks.film_id = films.film_id
