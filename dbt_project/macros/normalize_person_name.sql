{#- A person's name folded for matching across sources: `normalize_words` (accents, case,
    punctuation, spaces), so 'Pedro Almodóvar' and 'Pedro Almodovar' meet. Apply it to a
    name already cleaned by `clean_person_name`. -#}
{% macro normalize_person_name(name) -%}
    {{ normalize_words(name) }}
{%- endmacro %}
