-- The person-quality scores and gravitas, current and as of each year, and the fingerprints
-- of the last calculation (ml/people/store.py; the refresh in ml/people/refresh.py). The
-- measure, component and gravitas columns follow the seeds in dbt_project/seeds/people: a
-- seed that adds or renames one needs a migration (tests/test_catalog.py compares them).

create table if not exists ml.person_quality_scores (
    person_id bigint not null,
    role text not null,
    films_analyzed integer,
    first_year integer,
    last_year integer,
    festival_points float8,
    canonical_points float8,
    award_points float8,
    career_years float8,
    peer_centrality float8,
    imdb_votes_total float8,
    worldwide_gross_total float8,
    repeat_collaboration_rating float8,
    genre_entropy float8,
    rating_trend float8,
    festival_score float8,
    canonical_score float8,
    awards_score float8,
    longevity_score float8,
    peer_recognition_score float8,
    cultural_impact_score float8,
    collaboration_quality_score float8,
    genre_versatility_score float8,
    career_arc_score float8,
    total_pqs float8 not null,
    weight_coverage float8 not null,
    percentile_rank float8,
    calculation_version text not null,
    calculated_at timestamptz not null,
    valid_until timestamptz not null,
    primary key (person_id, role)
);

create table if not exists ml.person_quality_asof (
    person_id bigint not null,
    role text not null,
    year integer not null,
    as_of_year integer not null,
    films_analyzed integer,
    first_year integer,
    last_year integer,
    festival_points float8,
    canonical_points float8,
    award_points float8,
    career_years float8,
    peer_centrality float8,
    imdb_votes_total float8,
    worldwide_gross_total float8,
    repeat_collaboration_rating float8,
    genre_entropy float8,
    rating_trend float8,
    festival_score float8,
    canonical_score float8,
    awards_score float8,
    longevity_score float8,
    peer_recognition_score float8,
    cultural_impact_score float8,
    collaboration_quality_score float8,
    genre_versatility_score float8,
    career_arc_score float8,
    total_pqs float8 not null,
    weight_coverage float8 not null,
    pqs float8 not null,
    calculation_version text not null,
    calculated_at timestamptz not null,
    primary key (person_id, role, year)
);

create table if not exists ml.movie_gravitas_scores (
    film_id bigint not null,
    director_pqs float8,
    director_weight float8,
    lead_actors_pqs float8,
    lead_actors_weight float8,
    supporting_cast_pqs float8,
    supporting_cast_weight float8,
    writer_pqs float8,
    composer_pqs float8,
    cinematographer_pqs float8,
    total_gravitas_score float8 not null,
    components_present text[] not null,
    people_count integer not null,
    components_hash text not null,
    calculation_version text not null,
    calculated_at timestamptz not null,
    primary key (film_id)
);

create table if not exists ml.movie_gravitas_asof (
    film_id bigint not null,
    release_year integer not null,
    director_pqs float8,
    director_weight float8,
    lead_actors_pqs float8,
    lead_actors_weight float8,
    supporting_cast_pqs float8,
    supporting_cast_weight float8,
    writer_pqs float8,
    composer_pqs float8,
    cinematographer_pqs float8,
    total_gravitas_score float8 not null,
    components_present text[] not null,
    people_count integer not null,
    components_hash text not null,
    calculation_version text not null,
    calculated_at timestamptz not null,
    primary key (film_id)
);

create table if not exists ml.people_input_state (
    unit_key text not null,
    unit text not null,
    unit_id bigint not null,
    input_hash text not null,
    people bigint[],
    calculation_version text not null,
    primary key (unit_key)
);
