{#- The five normalisation curves in SQL: the twin of ml/metrics/normalization.py, step for
    step and operation for operation (a test requires both to agree within 1e-9 on a grid
    of raw values for every active metric).

    `definition` is the alias of a metric_definitions row. A null raw value stays null; a
    raw value outside [raw_scale_min, raw_scale_max] is clamped to the nearest bound (see
    `metric_is_clamped`); the curve's result is bounded to [0, 1]. least/greatest skip
    nulls, hence the outer null guard. An unknown normalization_type or a missing parameter
    would read as 0, so the seed's tests reject both. -#}
{% macro normalize_metric(raw, definition) -%}
    {%- set x = "least(greatest(" ~ raw ~ ", " ~ definition ~ ".raw_scale_min), " ~ definition ~ ".raw_scale_max)" -%}
    {%- set params = definition ~ ".normalization_params" -%}
    case when {{ raw }} is not null then least(1.0::float8, greatest(0.0::float8,
        case {{ definition }}.normalization_type
            when 'linear' then
                ({{ x }} - ({{ params }} ->> 'min')::float8)
                / (({{ params }} ->> 'max')::float8 - ({{ params }} ->> 'min')::float8)
            when 'logarithmic' then
                ln({{ x }} + 1) / ln(({{ params }} ->> 'threshold')::float8 + 1)
            when 'sigmoid' then
                -- the exponent is bounded as in Python: exp() overflows past 709
                1 / (1 + exp(least(700.0::float8, greatest(-700.0::float8,
                    -({{ params }} ->> 'k')::float8 * (({{ params }} ->> 'midpoint')::float8 - {{ x }})
                ))))
            when 'step' then
                coalesce((
                    select (step ->> 1)::float8
                    from jsonb_array_elements({{ params }} -> 'steps') as step
                    where (step ->> 0)::float8 <= {{ x }}
                    order by (step ->> 0)::float8 desc
                    limit 1
                ), 0.0::float8)
            when 'boolean' then
                case
                    when {{ x }} <> 0 then ({{ params }} ->> 'true_value')::float8
                    else coalesce(({{ params }} ->> 'false_value')::float8, 0.0::float8)
                end
        end
    )) end
{%- endmacro %}


{#- True when the raw value lies outside the metric's raw scale and was clamped; false for
    null raw values. -#}
{% macro metric_is_clamped(raw, definition) -%}
    coalesce({{ raw }} < {{ definition }}.raw_scale_min or {{ raw }} > {{ definition }}.raw_scale_max, false)
{%- endmacro %}
