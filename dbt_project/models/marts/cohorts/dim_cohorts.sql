{#- One row per cohort, with its size and a hash of its member list. The incremental cohort
    marts recompute a cohort in full when its hash changes (a refit of the taste clusters, a
    member added). `all` is defined as "every user", not as a list, so its hash is constant:
    a new user's ratings reach it as touched films, without a full recompute. -#}

with

members as (

    select * from {{ ref('cohort_members') }}

),

named as (

    select cohort_name as cohort, description
    from {{ ref('stg_app__cohorts') }}

),

clustering as (

    select min(run_id) as run_id from {{ ref('stg_ml__user_clusters') }}

),

cohorts as (

    select
        cohort_id,
        cohort,
        kind,
        count(*) as member_count,
        case
            when kind = 'all' then md5('all')
            else md5(string_agg(user_id::text, ',' order by user_id))
        end as membership_hash
    from members
    group by cohort_id, cohort, kind

)

select
    cohorts.cohort_id,
    cohorts.cohort,
    cohorts.kind,
    case cohorts.kind
        when 'all' then 'Every user with a rating, like or favourite'
        when 'named' then coalesce(nullif(named.description, ''), 'Named cohort')
        when
            'follows'
            then 'User ' || split_part(cohorts.cohort, ':', 2) || ' and the people they follow'
        when 'cluster' then 'Taste cluster ' || split_part(cohorts.cohort, ':', 2)
            || ' (k-means run ' || clustering.run_id || ')'
    end as description,
    cohorts.member_count,
    cohorts.membership_hash,
    case when cohorts.kind = 'cluster' then clustering.run_id end as defined_by_run_id
from cohorts
left join named on cohorts.cohort = named.cohort and cohorts.kind = 'named'
cross join clustering
