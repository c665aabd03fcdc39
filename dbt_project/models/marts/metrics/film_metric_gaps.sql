{#- Gap analysis: every film that misses at least one whole category (no metric of the
    category has a value for it), with the categories it has and the ones it misses. -#}

with

films as (

    select film_id, title, release_year from {{ ref('dim_films') }}

),

categories as (

    select category, position
    from unnest(array[
            {%- for category in metric_categories() -%}
            '{{ category }}'{% if not loop.last %}, {% endif %}
            {%- endfor -%}
        ]) with ordinality as listed (category, position)

),

present as (

    select distinct film_id, category from {{ ref('film_metric_values') }}

),

film_categories as (

    select
        films.film_id,
        films.title,
        films.release_year,
        categories.category,
        categories.position,
        present.film_id is not null as has_data
    from films
    cross join categories
    left join present
        on films.film_id = present.film_id
        and categories.category = present.category

)

select
    film_id,
    title,
    release_year,
    coalesce(array_agg(category order by position) filter (where has_data), '{}')
        as categories_with_data,
    array_agg(category order by position) filter (where not has_data) as categories_missing,
    count(*) filter (where not has_data) as missing_count
from film_categories
group by film_id, title, release_year
having count(*) filter (where not has_data) > 0
