{{ config(materialized='view') }}

{#- Every active metric's normalisation curve, evaluated by the normalize_metric macro on a
    grid of raw values: 21 points across a bounded raw scale, multiples of a logarithmic
    threshold, a fixed set of probes from -1000 to 1e12 (out-of-scale values included) and
    null. For plotting the curves, and for the test that requires ml.metrics to agree with
    the warehouse on every row. -#}

{%- set probes = [
    -1000, -1, -0.5, 0, 0.25, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 5, 7.5, 8.5, 10, 12, 15, 25,
    49, 50, 51, 75, 85, 99, 100, 101, 124, 125, 126, 250, 251, 1000, 1e4, 1e5, 1e6, 1e7,
    1e8, 1e9, 2e9, 3e9, 1e10, 1e12
] -%}

with

definitions as (

    select * from {{ ref('metric_definitions') }}
    where active

),

probes as (

    select definitions.code, probe.raw_value
    from definitions
    cross join unnest(array[{{ probes | join(', ') }}]::float8[]) as probe (raw_value)

    union

    select code, raw_scale_min + (raw_scale_max - raw_scale_min) * step / 20.0
    from definitions
    cross join generate_series(0, 20) as step
    where raw_scale_max is not null

    union

    select code, (normalization_params ->> 'threshold')::float8 * multiple
    from definitions
    cross join unnest(array[0.001, 0.01, 0.1, 0.5, 1, 2, 10]::float8[]) as multiple
    where normalization_type = 'logarithmic'

    union

    select code, null::float8 from definitions

)

select
    definitions.code as metric_code,
    definitions.normalization_type,
    probes.raw_value,
    {{ normalize_metric('probes.raw_value', 'definitions') }} as normalized_value,
    {{ metric_is_clamped('probes.raw_value', 'definitions') }} as is_clamped
from probes
inner join definitions on probes.code = definitions.code
