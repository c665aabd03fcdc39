{#- A post-hook of every model (dbt_project.yml): fresh planner statistics for the table it
    just built. A new table has none until autovacuum comes by, and the next model's joins
    are then planned on guesses: one cold build spent 200 s in int_person_identity instead of
    a fraction of a second. Views have nothing to analyse. -#}
{% macro analyze_table() -%}
    {%- if model.config.materialized in ['table', 'incremental'] -%}
        analyze {{ this }}
    {%- endif -%}
{%- endmacro %}
