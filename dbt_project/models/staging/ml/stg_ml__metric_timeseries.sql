select * from {{ source('ml', 'metric_timeseries') }}
