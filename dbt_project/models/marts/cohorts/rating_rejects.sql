{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        tags=['monthly'],
        on_schema_change='fail',
        pre_hook="{% if is_incremental() %}delete from {{ this }} where {{ month_window_from_first('rated_at') }}{% endif %}",
    )
}}

{#- Rating events that cannot become ratings, each with every reason it fails (rating out
    of range or off the half-star grid, unknown user, unknown or ambiguous film), monthly
    like fct_ratings; the first month's run also keeps the events dated before it. Records a
    parser could not even read are in raw._rejects. -#}

select
    source,
    source_file,
    source_row,
    event_id,
    user_id,
    film_reference,
    rating,
    liked,
    favorite,
    rated_at,
    reject_reason as reason
from {{ ref('int_rating_events') }}
where {{ month_window_from_first('rated_at') }}
    and reject_reason is not null
