{#- The scope of an incremental cohort mart's refresh, read from its own rows (`stored`, with
    cohort_id, membership_hash and source_loaded_at: the newest month load it has seen). -#}

{#- The rating-month loads (int_rating_month_loads rows) newer than the mart's watermark. -#}
{% macro new_month_loads(loads, stored) -%}
    select * from {{ loads }}
    where loaded_at > (select coalesce(max(source_loaded_at), '-infinity') from {{ stored }})
{%- endmacro %}

{#- The films or users (`key` 'film' or 'user': column `<key>_id`) that the loads newer than the
    mart's watermark touched, rated in their month before or after the load. -#}
{% macro touched_ids(key, loads, stored) -%}
    select distinct unnest(new_loads.touched_{{ key }}_ids) as {{ key }}_id
    from ({{ new_month_loads(loads, stored) }}) as new_loads
{%- endmacro %}

{#- Cohorts whose membership hash changed, that appeared, or that disappeared. -#}
{% macro changed_cohorts(cohorts, stored) -%}
    select cohort_id from {{ cohorts }}
    where (cohort_id, membership_hash) not in (select cohort_id, membership_hash from {{ stored }})
    union
    select cohort_id from {{ stored }}
    where cohort_id not in (select cohort_id from {{ cohorts }})
{%- endmacro %}

{#- The CTEs of a per-user mart's refresh scope: `loads` (int_rating_month_loads, passed in)
    and, in an incremental run, `touched_users`: the users who rated in the loads newer than
    the mart's watermark, before or after the load. -#}
{% macro per_user_refresh_scope(month_loads) -%}
loads as (

    select * from {{ month_loads }}

),

{% if is_incremental() %}

touched_users as (

    {{ touched_ids('user', 'loads', this) }}

),

{% endif %}
{%- endmacro %}
