{#- Accented Latin letters to their base letter, without the unaccent extension (it may not
    be installed): Latin-1 and Latin Extended-A, plus Romanian ș ț; ligatures become two
    letters. Case is kept, so fold before lower(): in a C-locale database lower() changes
    ASCII letters only. -#}
{% macro fold_accents(text) -%}
    {%- set accented = "ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝàáâãäåçèéêëìíîïðñòóôõöøùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĐđĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĦħĨĩĪīĬĭĮįİıĴĵĶķĹĺĻļĽľŁłŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŦŧŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžȘșȚț" -%}
    {%- set plain = "AAAAAACEEEEIIIIDNOOOOOOUUUUYaaaaaaceeeeiiiidnoooooouuuuyyAaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIiJjKkLlLlLlLlNnNnNnOoOoOoRrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzSsTt" -%}
    {%- set ligatures = [("æ", "ae"), ("Æ", "AE"), ("œ", "oe"), ("Œ", "OE"), ("ß", "ss"), ("þ", "th"), ("Þ", "TH")] -%}
    {%- set expression = namespace(sql=text) -%}
    {%- for ligature, letters in ligatures -%}
        {%- set expression.sql = "replace(" ~ expression.sql ~ ", '" ~ ligature ~ "', '" ~ letters ~ "')" -%}
    {%- endfor -%}
    translate({{ expression.sql }}, '{{ accented }}', '{{ plain }}')
{%- endmacro %}
