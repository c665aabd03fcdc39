{#- The directors each film mention names, by name key: director credits and the nominees
    of the Oscar short-film categories (int_person_mentions.counts_as_director), without
    the values that are not person names. What identity checks a title match against. -#}
{% macro director_mentions() -%}
    select distinct
        film_source as source,
        film_source_key as source_key,
        name_key
    from {{ ref('int_person_mentions') }}
    where counts_as_director
        and not_a_person_reason is null
        and name_key is not null
{%- endmacro %}
