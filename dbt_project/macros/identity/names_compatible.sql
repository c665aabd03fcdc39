{#- Whether two person name keys (`person_name_key`) can name the same person: equal keys,
    or a shared word of three letters or more (the surname, word order being unknown) with
    the words left over compatible: one side has none left, or two of them share an
    initial. 'terence malick' / 'malick terrence' and 'chaplin charlie' / 'chaplin
    charles' are compatible; 'coen joel' / 'coen ethan' are not. -#}
{% macro names_compatible(left_key, right_key) -%}
    (
        {{ left_key }} = {{ right_key }}
        or exists (
            select 1
            from unnest(string_to_array({{ left_key }}, ' ')) as shared (word)
            where length(shared.word) >= 3
                and shared.word = any(string_to_array({{ right_key }}, ' '))
        )
        and (
            string_to_array({{ left_key }}, ' ') <@ string_to_array({{ right_key }}, ' ')
            or string_to_array({{ right_key }}, ' ') <@ string_to_array({{ left_key }}, ' ')
            or exists (
                select 1
                from unnest(string_to_array({{ left_key }}, ' ')) as left_word (word)
                cross join unnest(string_to_array({{ right_key }}, ' ')) as right_word (word)
                where left(left_word.word, 1) = left(right_word.word, 1)
                    and not left_word.word = any(string_to_array({{ right_key }}, ' '))
                    and not right_word.word = any(string_to_array({{ left_key }}, ' '))
            )
        )
    )
{%- endmacro %}
