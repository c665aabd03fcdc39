{#- 'Deer Hunter, The' -> 'The Deer Hunter', 'Atalante, L''' -> 'L''Atalante': IMDb and
    MovieLens move a title's leading article to the end. English, French, Spanish,
    Italian, German, Dutch and Scandinavian articles are moved; the one-letter 'I' and 'O'
    are not, as a trailing ', I' or ', O' is too often part of the title. -#}
{% macro front_article(title) -%}
    regexp_replace(
        regexp_replace(
            {{ title }},
            '^(.+), (The|A|An|Les|La|Le|Il|Lo|Gli|El|Los|Las|Un|Una|Une|Der|Die|Das|Ein|Eine|De|Het|Den|Det|Os|As)$',
            '\2 \1'
        ),
        '^(.+), (L''|Ha-)$',
        '\2\1'
    )
{%- endmacro %}
