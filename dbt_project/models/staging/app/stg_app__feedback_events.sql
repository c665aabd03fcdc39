with

source as (

    select * from {{ source('app', 'feedback_events') }}

),

renamed as (

    select
        event_id,
        user_id,
        film_id,
        kind,
        value,
        context,
        at as feedback_at

    from source

)

select * from renamed
