with

source as (

    select * from {{ source('ml', 'personal_picks') }}

),

renamed as (

    select
        ---------- ids
        user_id,
        film_id,
        rank,

        ---------- prediction
        predicted_rating,
        confidence,
        score,

        ---------- explanation
        reason,
        discovery_source,
        anchor_film_id,
        anchor_person_id,
        anchor_user_id,
        anchor_conversation_id,

        ---------- lineage
        model_version,
        generated_at

    from source

)

select * from renamed
