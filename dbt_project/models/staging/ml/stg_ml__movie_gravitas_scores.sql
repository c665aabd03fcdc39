{#- Every column as stored: the measure and component columns follow the people seeds
    (ml.people.store), so they are not listed here. -#}
select * from {{ source('ml', 'movie_gravitas_scores') }}
