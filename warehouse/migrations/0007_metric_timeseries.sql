-- The append-only metric time series, natively partitioned by calendar month (UTC), its
-- daily rollup and the trend views (ml/metrics/timeseries.py appends to it and
-- creates the month partitions an append needs). Not a dbt model: every dbt materialisation
-- rewrites or merges its table, and this one must only ever grow.

create table if not exists ml.metric_timeseries (
    film_id bigint not null,
    metric_code text not null,
    source text not null,
    value float8 not null,
    normalized_value float8,
    time timestamptz not null,
    metadata jsonb not null default '{}',
    recorded_at timestamptz not null default now(),
    primary key (film_id, metric_code, source, time)
) partition by range (time);

create materialized view if not exists ml.metric_timeseries_daily as
select
    film_id,
    metric_code,
    source,
    (time at time zone 'UTC')::date as day,
    count(*) as observations,
    avg(value) as avg_value,
    min(value) as min_value,
    max(value) as max_value,
    (array_agg(value order by time desc))[1] as last_value,
    (array_agg(normalized_value order by time desc))[1] as last_normalized_value
from ml.metric_timeseries
group by film_id, metric_code, source, (time at time zone 'UTC')::date
with no data;

create unique index if not exists metric_timeseries_daily_key
on ml.metric_timeseries_daily (film_id, metric_code, source, day);

-- Trends are measured back from each feed's newest day (as_of), not from today: a historical
-- feed (MovieLens ends in 2016) still shows how its last week and month moved, and a live
-- feed's newest day is today. A film first observed inside the window has no change yet.
create or replace view ml.metric_trends as
with anchors as (
    select metric_code, source, max(day) as as_of
    from ml.metric_timeseries_daily
    group by metric_code, source
),
points as (
    select
        daily.film_id,
        daily.metric_code,
        daily.source,
        anchors.as_of,
        daily.day,
        daily.last_value,
        daily.last_normalized_value
    from ml.metric_timeseries_daily as daily
    inner join anchors using (metric_code, source)
),
latest as (
    select distinct on (film_id, metric_code, source) *
    from points
    order by film_id, metric_code, source, day desc
),
week_ago as (
    select distinct on (film_id, metric_code, source) *
    from points
    where day <= as_of - 7
    order by film_id, metric_code, source, day desc
),
month_ago as (
    select distinct on (film_id, metric_code, source) *
    from points
    where day <= as_of - 30
    order by film_id, metric_code, source, day desc
)
select
    latest.film_id,
    latest.metric_code,
    latest.source,
    latest.as_of,
    latest.day as last_observed_on,
    latest.last_value as value,
    latest.last_normalized_value as normalized_value,
    latest.last_value - week_ago.last_value as change_7d,
    latest.last_normalized_value - week_ago.last_normalized_value as normalized_change_7d,
    latest.last_value - month_ago.last_value as change_30d,
    latest.last_normalized_value - month_ago.last_normalized_value as normalized_change_30d
from latest
left join week_ago using (film_id, metric_code, source)
left join month_ago using (film_id, metric_code, source);

-- Films whose normalised value rose over their feed's last 30 days, ranked per metric and feed.
create or replace view ml.rising_films as
select
    *,
    rank() over (partition by metric_code, source order by normalized_change_30d desc) as rise_rank
from ml.metric_trends
where normalized_change_30d > 0;
