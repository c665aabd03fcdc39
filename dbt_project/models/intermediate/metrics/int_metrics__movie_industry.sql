{{ metrics_from_film_rows(
    'movie_industry', ref('stg_movie_industry__movies'), 'source_row',
    {
        'imdb_rating': 'imdb_score',
        'imdb_vote_count': 'imdb_votes',
        'production_budget': 'budget_usd',
        'worldwide_gross': 'gross_usd',
    }
) }}
