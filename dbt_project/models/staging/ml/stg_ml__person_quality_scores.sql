{#- Every column as stored: the measure and component columns follow the people seeds
    (ml.people.store), so they are not listed here. -#}
select * from {{ source('ml', 'person_quality_scores') }}
