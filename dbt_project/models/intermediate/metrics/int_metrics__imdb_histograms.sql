{{ metrics_from_film_rows(
    'imdb_histograms', ref('stg_imdb_histograms__titles'), 'source_row_id',
    {'imdb_rating': 'imdb_rating', 'imdb_vote_count': 'imdb_votes', 'production_budget': 'budget_usd'}
) }}
