{#- The API looks rows up by person_id. -#}
{{ config(indexes=[{'columns': ['person_id']}]) }}

select * from {{ ref('stg_ml__person_quality_scores') }}
