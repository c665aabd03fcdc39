select * from {{ source('ml', 'rising_films') }}
