{#- A stable positive bigint from a text key: the first 60 bits of its md5.
    Stable across rebuilds for as long as the key is; 60 bits make collisions negligible
    at our scale (a test asserts uniqueness). -#}
{% macro surrogate_id(key_expression) -%}
    ('x' || left(md5({{ key_expression }}), 15))::bit(60)::bigint
{%- endmacro %}
