{#-
    vega-datasets keeps deliberate errors. Cleaned here:
    - release dates after 2011 are future-dated. The data ends with 2010 releases and two
      announced for 2011; no date falls in 2012-2014, and each of the 22 dates from 2015 to
      2046 is a 1915-1946 film read a century late (two-digit years: 'Gone with the Wind'
      Dec 15 2039, 'Duel in the Sun' Dec 31 2046). They are flagged, and release_year takes
      the century back.
    - grosses of 0 are unknown, not zero: null.
    - a year or an edition in the title ('King Kong (1933)', 'Fantasia 2000 (IMAX)') is
      dropped, and a trailing article ('Secret, The') moved to the front.
-#}

{%- set last_real_release_year = 2011 -%}

with

source as (

    select * from {{ source('raw', 'box_office__movies') }}

),

titled as (

    select
        *,
        regexp_replace(title, '\s*\((\d{4}|IMAX|[^()]* Release)\)$', '') as title_without_edition
    from source

),

renamed as (

    select
        ---------- ids
        record_index,

        ---------- film
        {{ front_article('title_without_edition') }} as title,
        title as title_as_given,
        {{ normalize_title('title_without_edition') }} as title_normalized,
        mpaa_rating,
        running_time_min,
        distributor,
        source as story_source,
        major_genre,
        creative_type,

        ---------- release
        release_date_text,
        release_date,
        extract(year from release_date)::integer as release_year_as_given,
        extract(year from release_date) > {{ last_real_release_year }} as is_future_dated,
        case
            when extract(year from release_date) > {{ last_real_release_year }}
                then extract(year from release_date)::integer - 100
            else extract(year from release_date)::integer
        end as release_year,

        ---------- people
        {{ clean_person_name('director') }} as director,
        {{ normalize_person_name(clean_person_name('director')) }} as director_normalized,

        ---------- money
        nullif(us_gross, 0) as us_gross_usd,
        nullif(worldwide_gross, 0) as worldwide_gross_usd,
        us_dvd_sales as us_dvd_sales_usd,
        production_budget as production_budget_usd,

        ---------- ratings
        rotten_tomatoes_rating,
        imdb_rating,
        imdb_votes

    from titled

)

select * from renamed
