{{ metrics_from_film_rows(
    'box_office', ref('stg_box_office__movies'), 'record_index',
    {
        'imdb_rating': 'imdb_rating',
        'imdb_vote_count': 'imdb_votes',
        'rt_tomatometer': 'rotten_tomatoes_rating',
        'production_budget': 'production_budget_usd',
        'domestic_gross': 'us_gross_usd',
        'worldwide_gross': 'worldwide_gross_usd',
    }
) }}
