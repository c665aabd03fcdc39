{#-
    r1..r10 are the percent of votes at each star rounded to a 10-point band and given as
    the band midpoint (0, 4.5, 14.5, ..., 94.5, 100), so a row sums to 60.5..136. They
    become vote shares share_1..share_10 that sum to 1 (null when every band is 0).

    The 50-59% band never appears as 54.5, while 45.5 (no band's midpoint) appears 3,582
    times; rows holding it sum to 93 on average against 101 for the rest, 102 when read as
    54.5. So 45.5 is read as 54.5.
-#}

{%- set stars = range(1, 11) -%}

with

source as (

    select * from {{ source('raw', 'imdb_histograms__titles') }}

),

bands as (

    select
        *,
    {%- for star in stars %}
    case when r{{ star }} = 45.5 then 54.5 else r{{ star }} end as band_{{ star }}
    {%- if not loop.last %},{% endif %}
    {%- endfor %}
    from source

),

totals as (

    select
        *,
        {% for star in stars -%}
        band_{{ star }}{% if not loop.last %} + {% endif %}
        {%- endfor %} as band_total
    from bands

),

renamed as (

    select
        ---------- ids
        source_row_id,

        ---------- film
        {{ front_article('title') }} as title,
        title as title_as_given,
        {{ normalize_title('title') }} as title_normalized,
        year as release_year,
        length as runtime_min,
        mpaa as mpaa_rating,

        ---------- money
        budget as budget_usd,

        ---------- ratings
        rating as imdb_rating,
        votes as imdb_votes,
        {%- for star in stars %}
        (band_{{ star }} / nullif(band_total, 0))::double precision as share_{{ star }},
        {%- endfor %}
        band_total as histogram_band_total,

        ---------- genre flags
        action as is_action,
        animation as is_animation,
        comedy as is_comedy,
        drama as is_drama,
        documentary as is_documentary,
        romance as is_romance,
        short as is_short

    from totals

)

select * from renamed
