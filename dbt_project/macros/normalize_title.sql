{#- A film title folded for matching across sources: the leading article restored from the
    end ('Deer Hunter, The'), '&' read as 'and', then `normalize_words` (accents, case,
    punctuation, spaces), then a leading English article dropped. So 'The Deer Hunter',
    'Deer Hunter, The' and 'DEER HUNTER' all become 'deer hunter'. -#}
{% macro normalize_title(title) -%}
    nullif(
        regexp_replace(
            {{ normalize_words("replace(" ~ front_article(title) ~ ", '&', ' and ')") }},
            '^(the|a|an) ',
            ''
        ),
        ''
    )
{%- endmacro %}
