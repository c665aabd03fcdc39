{#- Every table, view and full-refreshed incremental model is rebuilt as `<name>__dbt_tmp`,
    then the old relation is renamed to `<name>__dbt_backup`, the new one to `<name>`, and the
    backup dropped with cascade after commit. The views that read the old relation would go
    with it, and stay missing until dbt rebuilds them, or for good if the run dies first.
    Here, in the same transaction as the renames, they are held (app.hold_dependent_views,
    warehouse/migrations/0008) and re-pointed at the new relation, so readers never see them
    missing; dbt's relation cache is told they no longer depend on the backup, or dropping
    it would drop them from the cache. See docs/warehouse.md. -#}
{% macro postgres__rename_relation(from_relation, to_relation) -%}
    {%- if to_relation.identifier.endswith('__dbt_backup') -%}
        {%- do run_query(
            "select app.hold_dependent_views("
            ~ dbt.string_literal(from_relation.include(database=False)) ~ ")"
        ) -%}
    {%- endif -%}
    {% call statement('rename_relation') -%}
        alter table {{ from_relation }}
        rename to {{ adapter.quote_as_configured(to_relation.identifier, 'identifier') }}
    {%- endcall %}
    {%- if from_relation.identifier.endswith('__dbt_tmp') -%}
        {%- set kept = run_query("select view_schema, view_name from app.restore_held_views()") -%}
        {%- for view_schema, view_name in kept.rows -%}
            {%- set view = api.Relation.create(
                database=to_relation.database, schema=view_schema, identifier=view_name,
                type='view'
            ) -%}
            {%- do adapter.cache_dropped(view) -%}
            {%- do adapter.cache_added(view) -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
