{#- Festival prizes and selections as boolean observations (raw value 1): a film that did
    not win has no observation, not a 0. Cannes' top prize includes the Grand Prix du
    Festival that preceded the Palme d'Or (1946-1954); Berlin's includes the 1951 genre
    bears. An award this model does not know keeps a null metric_code, which a warning test
    reports and the union leaves out. Observed on 1 January of the first edition. -#}

with

awards as (

    select * from {{ ref('stg_festivals__awards') }}

),

films as (

    {{ metric_source_films('festivals') }}

),

coded as (

    select
        films.film_id,
        awards.source_row,
        awards.edition_year,
        awards.festival,
        awards.award,
        case
            when awards.festival = 'Cannes'
                and (awards.award = 'Palme d''Or' or awards.award like 'Grand Prix du Festival%')
                then 'cannes_palme_dor'
            when awards.festival = 'Cannes' and awards.award = 'Competition (official selection)'
                then 'cannes_selection'
            when awards.festival = 'Venice' and awards.award = 'Golden Lion'
                then 'venice_golden_lion'
            when awards.festival = 'Venice' and awards.award = 'Competition (official selection)'
                then 'venice_selection'
            when awards.festival = 'Berlin' and awards.award like 'Golden Bear%'
                then 'berlin_golden_bear'
            when awards.festival = 'Sundance' and awards.award like 'Grand Jury Prize%'
                then 'sundance_grand_jury'
        end as metric_code
    from awards
    inner join films on awards.source_row::text = films.source_key

)

select
    film_id,
    metric_code,
    'festivals' as source,
    1.0::float8 as raw_value,
    {{ utc_year_start('min(edition_year)') }} as observed_at,
    jsonb_build_object(
        'source_rows', array_agg(source_row order by source_row),
        'awards', array_agg(distinct festival || ': ' || award)
    ) as detail
from coded
group by film_id, metric_code
