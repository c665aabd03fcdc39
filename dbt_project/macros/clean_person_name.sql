{#- A person column as a source gives it, trimmed, with placeholders that are not people
    nulled: scraped column headers ('Directors', 'Director', 'Writers', 'Stars' ...) and
    'Anonymous', 'Unknown', 'N/A'. Doubled quotes left by CSV escaping ('Jeff ""King Jeff""
    Hollins') become single. -#}
{% macro clean_person_name(name) -%}
    case
        when lower(btrim({{ name }})) in (
            'director', 'directors', 'writer', 'writers', 'star', 'stars',
            'anonymous', 'unknown', 'n/a', ''
        ) then null
        else replace(btrim({{ name }}), '""', '"')
    end
{%- endmacro %}
