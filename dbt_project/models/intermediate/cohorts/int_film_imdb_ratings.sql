{#- IMDb's global opinion of each film (ggplot2movies, 2005): mean rating, votes and the vote
    shares per star, from the IMDb record with the most votes when a film has several. -#}

select distinct on (films.film_id)
    films.film_id,
    titles.imdb_rating,
    titles.imdb_votes,
    {%- for star in range(1, 11) %}
    titles.share_{{ star }}{% if not loop.last %},{% endif %}
    {%- endfor %}
from {{ ref('bridge_film_sources') }} as films
inner join {{ ref('stg_imdb_histograms__titles') }} as titles
    on films.source = 'imdb_histograms' and films.source_key = titles.source_row_id::text
order by films.film_id asc, titles.imdb_votes desc nulls last
