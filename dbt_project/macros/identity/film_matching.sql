{#- The two steps a title pass of int_film_identity takes, shared by its passes.

    film_match_candidates: every IMDb-keyed film one of a row's names (`mention_titles`:
    source, source_key, row_title, release_year, title_normalized, is_main) shares with one of the
    film's names (`film_titles`: imdb_id, title, title_normalized, is_main), with the row's
    year within one year of a year the film's id-bearing rows give (`film_years`); with
    whether a director of the row is compatible with a director of the film
    (`film_directors`: imdb_id, name_key) and whether both know one. Reads the CTEs
    film_years and mention_directors of the calling model. -#}
{% macro film_match_candidates(mention_titles, film_titles, film_directors) -%}
    (
        with pairs as (

            select
                mention.source,
                mention.source_key,
                mention.row_title,
                mention.release_year as row_year,
                film.imdb_id,
                bool_or(mention.is_main and film.is_main) as main_titles,
                min(abs(years.release_year - mention.release_year)) as year_gap,
                (array_agg(film.title order by
                    not (mention.is_main and film.is_main),
                    abs(years.release_year - mention.release_year),
                    film.title))[1] as matched_title,
                (array_agg(years.release_year order by
                    abs(years.release_year - mention.release_year),
                    years.release_year))[1] as matched_year
            from {{ mention_titles }} as mention
            inner join {{ film_titles }} as film
                on mention.title_normalized = film.title_normalized
            inner join film_years as years
                on film.imdb_id = years.imdb_id
                and years.release_year between mention.release_year - 1 and mention.release_year + 1
            group by
                mention.source, mention.source_key, mention.row_title, mention.release_year,
                film.imdb_id

        ),

        director_checks as (

            select
                pairs.source,
                pairs.source_key,
                pairs.imdb_id,
                bool_or({{ names_compatible('mention_director.name_key', 'film_director.name_key') }})
                    as shares_director
            from pairs
            inner join mention_directors as mention_director
                on pairs.source = mention_director.source
                and pairs.source_key = mention_director.source_key
            inner join {{ film_directors }} as film_director
                on pairs.imdb_id = film_director.imdb_id
            group by pairs.source, pairs.source_key, pairs.imdb_id

        )

        select
            pairs.*,
            coalesce(director_checks.shares_director, false) as shares_director,
            director_checks.source is not null as both_known
        from pairs
        left join director_checks
            on pairs.source = director_checks.source
            and pairs.source_key = director_checks.source_key
            and pairs.imdb_id = director_checks.imdb_id
    )
{%- endmacro %}

{#- chosen_film_matches: per row, the candidate that passes the director check (a shared
    director, or a side that knows none) and ranks first: a shared director, then a match
    of the two main titles, then the nearest year. A row that cannot check directors does
    not take a film that a row of the same title and year was turned away from for its
    director a year apart (`turned_away`: row_title, row_year, imdb_id): MovieLens' 'The Crush' (1993)
    is not Alison Maclean's 'Crush' (1992) when movie_industry's 'The Crush' (1993, Alan
    Shapiro) is not. Several films tied at the top leave imdb_id null (ambiguous, never
    guessed). -#}
{% macro chosen_film_matches(candidates, turned_away) -%}
    (
        with ranked as (

            select
                *,
                rank() over (
                    partition by source, source_key
                    order by shares_director desc, main_titles desc, year_gap
                ) as candidate_rank
            from {{ candidates }} as candidates
            where shares_director
                or not both_known
                and not exists (
                    select 1
                    from {{ turned_away }} as turned_away
                    where turned_away.row_title = candidates.row_title
                        and turned_away.row_year = candidates.row_year
                        and turned_away.imdb_id = candidates.imdb_id
                )

        )

        select distinct on (source, source_key)
            source,
            source_key,
            case when count(*) over mention = 1 then imdb_id end as imdb_id,
            count(*) over mention as tied_films,
            main_titles,
            year_gap,
            matched_title,
            matched_year,
            shares_director,
            both_known
        from ranked
        where candidate_rank = 1
        window mention as (partition by source, source_key)
        order by source, source_key, imdb_id
    )
{%- endmacro %}
