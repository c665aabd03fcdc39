select * from {{ ref('stg_ml__person_quality_scores') }}
