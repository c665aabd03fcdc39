{#- The API looks rows up by person_id. -#}
{{ config(indexes=[{'columns': ['person_id']}]) }}

-- The ml table as it is (its columns follow the seeds or the catalogue),
-- with the person's name.
select
    scores.*,  -- noqa: AM04
    people.name
from {{ ref('stg_ml__person_quality_scores') }} as scores
left join {{ ref('dim_people') }} as people on scores.person_id = people.person_id
