with

source as (

    select * from {{ source('app', 'casting_slates') }}

),

renamed as (

    select
        slate_id,
        computed_at,
        rank as slate_rank,
        actor_id,
        actor_name,
        p_cal,
        score,
        reasons,
        alternates,
        model_run_id,
        model_version,
        (brief ->> 'year')::integer as brief_year,
        (brief ->> 'budget_millions')::float8 as brief_budget_millions,
        array_to_string(
            array(select jsonb_array_elements_text(brief -> 'genres')), ', '
        ) as brief_genres,
        (brief ->> 'bill_order')::integer as brief_bill_order,
        brief ->> 'director' as brief_director

    from source

)

select * from renamed
