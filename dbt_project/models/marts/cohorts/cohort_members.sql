{#- Who is in which cohort. Cohort names: `all` (every user with a rating event), a named
    cohort's own name (app.cohorts), `follows:<user>` (the user and everyone they follow)
    and `cluster:<n>` (taste clusters from ml.user_clusters). -#}

with

everyone as (

    select distinct 'all' as cohort, 'all' as kind, user_id
    from {{ ref('fct_ratings') }}

),

named as (

    select cohort_name as cohort, 'named' as kind, user_id
    from {{ ref('stg_app__cohort_members') }}

),

follows as (

    select 'follows:' || follower_id as cohort, 'follows' as kind, follower_id as user_id
    from {{ ref('stg_app__follows') }}
    union
    select 'follows:' || follower_id, 'follows', followee_id
    from {{ ref('stg_app__follows') }}

),

clusters as (

    select 'cluster:' || cluster as cohort, 'cluster' as kind, user_id
    from {{ ref('stg_ml__user_clusters') }}

),

members as (

    select * from everyone
    union all
    select * from named
    union all
    select * from follows
    union all
    select * from clusters

)

select
    {{ surrogate_id('cohort') }} as cohort_id,
    cohort,
    kind,
    user_id
from members
