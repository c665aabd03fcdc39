-- The month partitions of ml.metric_timeseries get a schema of their own, ml_partitions, so
-- that `ml` lists its few dozen tables instead of one more per month of history. The name
-- says whose storage it is and that nothing there is meant to be read: the series is read
-- through its parent, ml.metric_timeseries (or marts.metric_timeseries as BI), and
-- PostgreSQL checks privileges on the parent only, so no role needs a grant here.
-- ml/metrics/timeseries.py creates the new months' partitions in it; this moves those that
-- earlier installs created in `ml` (the partition's indexes and grants move with it).

create schema if not exists ml_partitions;

comment on schema ml_partitions is
'Storage only: the month partitions of ml.metric_timeseries, created by each append. '
'Read the series through ml.metric_timeseries, or marts.metric_timeseries as BI.';

do $$
declare
    partition_name text;
    old_schema text;
begin
    for old_schema, partition_name in
        select ns.nspname, cls.relname
        from pg_inherits as inh
        inner join pg_class as cls on inh.inhrelid = cls.oid
        inner join pg_namespace as ns on cls.relnamespace = ns.oid
        where
            inh.inhparent = 'ml.metric_timeseries'::regclass
            and ns.nspname <> 'ml_partitions'
    loop
        execute format(
            'alter table %I.%I set schema ml_partitions', old_schema, partition_name
        );
    end loop;
end
$$;

comment on table ml.metric_timeseries is
'Every metric observation with its time, append-only, partitioned by calendar month (UTC); '
'the month partitions are in schema ml_partitions. Published as marts.metric_timeseries.';
