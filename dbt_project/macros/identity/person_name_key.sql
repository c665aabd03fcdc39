{#- A person's name reduced to what identifies it across sources, from a name already
    folded by `normalize_words`: honorifics dropped (Sir, Dame, Dr. ...), middle initials
    dropped when two longer words remain ('Robert J. Flaherty' -> 'flaherty robert'), and
    the words sorted, so word order does not matter ('Mizoguchi Kenji' and 'Kenji
    Mizoguchi', 'Wong Kar Wai' and 'Kar-Wai Wong' meet). Initials stay when they are most
    of the name ('D.W. Griffith' -> 'd griffith w'). -#}
{% macro person_name_key(normalized_name) -%}
    nullif(array_to_string(array(
        select word
        from unnest(string_to_array({{ normalized_name }}, ' ')) as words (word)
        where word not in ({{ honorifics() }})
            and (
                length(word) > 1
                or (
                    select count(*)
                    from unnest(string_to_array({{ normalized_name }}, ' ')) as longer (word)
                    where length(longer.word) > 1 and longer.word not in ({{ honorifics() }})
                ) < 2
            )
        order by word
    ), ' '), '')
{%- endmacro %}

{% macro honorifics() -%}
    'sir', 'dame', 'dr', 'lord', 'lady', 'mr', 'mrs', 'ms', 'prof'
{%- endmacro %}
