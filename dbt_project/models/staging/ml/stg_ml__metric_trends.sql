select * from {{ source('ml', 'metric_trends') }}
