{#- The folding that titles and names share, innermost step first: accents folded, lower
    case, apostrophes dropped ("Schindler's" -> "schindlers"), digit-group separators
    dropped ("20,000" -> "20000"), every other punctuation mark a space ("D.W. Griffith"
    and "D. W. Griffith" -> "d w griffith"), white space collapsed. Letters of other
    scripts are kept (with their case: lower() in a C-locale database folds ASCII only).
    '' is null. -#}
{% macro normalize_words(text) -%}
    nullif(
        btrim(
            regexp_replace(
                regexp_replace(
                    regexp_replace(
                        regexp_replace(lower({{ fold_accents(text) }}), '[''’‘`´]', '', 'g'),
                        '(\d)[,.](?=\d{3})', '\1', 'g'
                    ),
                    '[[:punct:]“”„«»‹›–—…¿¡·]', ' ', 'g'
                ),
                '\s+', ' ', 'g'
            )
        ),
        ''
    )
{%- endmacro %}
