{#- Every column as stored: the category weight columns follow the metric categories, so
    they are not listed here (dim_weight_profiles names them through metric_categories). -#}
select * from {{ source('app', 'custom_weight_profiles') }}
