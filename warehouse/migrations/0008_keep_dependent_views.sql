-- Views that read a relation being replaced, kept through the replacement.
--
-- dbt rebuilds a model by building `<name>__dbt_tmp`, renaming the old relation away and
-- dropping it with CASCADE after commit, which also drops every view that reads it (a
-- PostgreSQL view is bound to the relation it read, not to its name). In the same
-- transaction as the rename, hold_dependent_views() records those views' definitions and
-- restore_held_views() re-points them at the new relation with `create or replace view`,
-- which keeps their grants and comments: readers wait for the commit, then see the new
-- relation, and never a missing one. dbt_project/macros/rename_relation.sql calls both, and so
-- does ingest.loader when a parser's columns change and its raw table is rebuilt.

create or replace function app.hold_dependent_views(relation regclass)
returns integer
language plpgsql
-- pg_get_viewdef qualifies every name it prints that this search path does not show.
set search_path = pg_catalog
as $$
declare
    held integer;
begin
    -- One replacement at a time: two that each re-point a view reading both relations
    -- would otherwise deadlock.
    perform pg_advisory_xact_lock(7162743718953711475);
    create temp table if not exists held_views (
        view_schema text not null,
        view_name text not null,
        definition text not null,
        depth integer not null,
        primary key (view_schema, view_name)
    ) on commit drop;
    with recursive dependants (view_oid, depth) as (
        select rule.ev_class, 1
        from pg_depend as dep
        inner join pg_rewrite as rule on dep.objid = rule.oid
        where
            dep.classid = 'pg_rewrite'::regclass
            and dep.refclassid = 'pg_class'::regclass
            and dep.refobjid = relation
            and rule.ev_class <> relation
        union all
        select rule.ev_class, dependants.depth + 1
        from dependants
        inner join pg_depend as dep on dep.refobjid = dependants.view_oid
        inner join pg_rewrite as rule on dep.objid = rule.oid
        where
            dep.classid = 'pg_rewrite'::regclass
            and dep.refclassid = 'pg_class'::regclass
            and rule.ev_class <> dependants.view_oid
    )

    insert into pg_temp.held_views (view_schema, view_name, definition, depth)
    select
        ns.nspname,
        cls.relname,
        rtrim(pg_get_viewdef(cls.oid), ';'),
        max(dependants.depth)
    from dependants
    inner join pg_class as cls on dependants.view_oid = cls.oid
    inner join pg_namespace as ns on cls.relnamespace = ns.oid
    where cls.relkind = 'v'
    group by ns.nspname, cls.relname, cls.oid
    on conflict (view_schema, view_name) do update
        set definition = excluded.definition,
        depth = greatest(pg_temp.held_views.depth, excluded.depth);
    get diagnostics held = row_count;
    return held;
end
$$;

-- Re-point the held views, nearest first; returns those that exist afterwards. A view whose
-- columns the new relation changed is created afresh; one that reads a column the new relation
-- no longer has is left dropped (with a warning) for dbt to rebuild from its new code.
create or replace function app.restore_held_views()
returns table (view_schema text, view_name text)
language plpgsql
set search_path = pg_catalog
as $$
declare
    held record;
    qualified text;
begin
    create temp table if not exists held_views (
        view_schema text not null,
        view_name text not null,
        definition text not null,
        depth integer not null,
        primary key (view_schema, view_name)
    ) on commit drop;
    for held in select * from pg_temp.held_views order by depth, view_schema, view_name loop
        qualified := format('%I.%I', held.view_schema, held.view_name);
        begin
            execute format('create or replace view %s as %s', qualified, held.definition);
        exception when others then
            -- Outside the failed block, so the drop stays: the view must not stay bound to
            -- the old relation, which dbt drops with cascade.
            execute format('drop view if exists %s cascade', qualified);
            begin
                execute format('create view %s as %s', qualified, held.definition);
            exception when others then
                raise warning 'view % no longer fits what it reads (%); dbt rebuilds it',
                    qualified, sqlerrm;
            end;
        end;
        if to_regclass(qualified) is not null then
            view_schema := held.view_schema;
            view_name := held.view_name;
            return next;
        end if;
    end loop;
    delete from pg_temp.held_views;
end
$$;
