"""Person quality assets (group `people`): thin wrappers over `ml.people`.

- ml/person_quality_scores + ml/movie_gravitas_scores: the current PQS and gravitas,
  refreshed incrementally. The asset is driven by a change set, not by partitions: what
  changes is an arbitrary set of films and people (one award, one credit, one film's
  rating), and what must be recomputed is its dependency closure, which spreads along
  credits and the collaboration graph and fits no partition key. The asset fingerprints
  its inputs, recomputes the closure of what changed and reports its size; a run with
  `full_refresh` recomputes everything.
- ml/person_quality_asof + ml/movie_gravitas_asof: the as-of history, rebuilt whole.
- ml/gravitas_ols: what gravitas is worth (statsmodels OLS on as-of gravitas), recorded in
  ml.model_runs and published as the weight profile ml_optimized_<date>.

The dbt models around them (int_people__*, person_collaborations, person_career_metrics,
int_metrics__people, and the marts of the same names that publish the four ml tables) are
dbt assets the translator puts in this group by folder.
"""

import dagster as dg

from ml.people import store
from ml.people.config import SEED_FILES, people_config
from ml.people.gravitas_fit import read_points, simple_fit
from ml.people.gravitas_model import (
    CUTOFF_YEAR,
    FIRST_YEAR,
    MODEL_NAME,
    PRIMARY_TARGET,
    TARGETS,
    train_and_record,
)
from ml.people.inputs import FRAMES
from ml.people.refresh import refresh_asof, refresh_current
from ml.people.weight_profile import publish_ml_profile
from orchestration.owners import owned, team
from orchestration.pictures import fit_picture
from orchestration.resources import WarehouseResource
from orchestration.settings import settings

GROUP = "people"
PQS = dg.AssetKey([store.SCHEMA, store.PQS_TABLE])
GRAVITAS = dg.AssetKey([store.SCHEMA, store.GRAVITAS_TABLE])
PQS_ASOF = dg.AssetKey([store.SCHEMA, store.ASOF_TABLE])
GRAVITAS_ASOF = dg.AssetKey([store.SCHEMA, store.GRAVITAS_ASOF_TABLE])
GRAVITAS_MODEL = dg.AssetKey(["ml", MODEL_NAME])
# What the calculation reads: the int_people__* models and the people seeds.
INPUTS = [dg.AssetKey(["intermediate", model]) for model, _ in FRAMES.values()] + [
    dg.AssetKey(["marts", seed]) for seed in SEED_FILES
]
FILM_OUTCOMES = dg.AssetKey(["intermediate", FRAMES["films"][0]])
PROFILE_STORE = dg.AssetKey(["app", "custom_weight_profiles"])


class PersonQualityConfig(dg.Config):
    full_refresh: bool = False


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            PQS,
            deps=INPUTS,
            group_name=GROUP,
            kinds={"python", "postgres"},
            description="Current PQS per person and role: components, measures, total, percentile.",
        ),
        dg.AssetSpec(
            GRAVITAS,
            deps=[PQS],
            group_name=GROUP,
            kinds={"python", "postgres"},
            description="Current gravitas per film from its people's PQS.",
        ),
    ],
    check_specs=[
        dg.AssetCheckSpec(
            "peer_graph_converged",
            asset=PQS,
            description="The stationary peer score met its tolerance.",
        )
    ],
)
def person_quality(config: PersonQualityConfig, warehouse: WarehouseResource):
    """Recompute the dependency closure of what changed since the last run (everything on
    the first run, a new calculation version, or `full_refresh`)."""
    with warehouse.connection() as conn:
        result = refresh_current(conn, full=config.full_refresh)
    metadata = result.metadata()
    yield dg.MaterializeResult(
        asset_key=PQS,
        metadata={
            **{k: v for k, v in metadata.items() if k != "peer_graph"},
            "peer_graph": dg.MetadataValue.json(metadata["peer_graph"]),
        },
    )
    yield dg.MaterializeResult(
        asset_key=GRAVITAS,
        metadata={
            "mode": metadata["mode"],
            "films_recomputed": metadata["films_recomputed"],
            "gravitas_rows_written": metadata["gravitas_rows_written"],
            "calculation_version": result.calculation_version,
        },
    )
    yield dg.AssetCheckResult(
        asset_key=PQS,
        check_name="peer_graph_converged",
        passed=result.peer.converged,
        metadata={
            "iterations": result.peer.iterations,
            "residual": result.peer.residual,
            "tolerance": result.peer.tolerance,
        },
    )


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            PQS_ASOF,
            deps=INPUTS,
            group_name=GROUP,
            kinds={"python", "postgres"},
            description="PQS per person, role and year, from what was known on 1 January.",
        ),
        dg.AssetSpec(
            GRAVITAS_ASOF,
            deps=[PQS_ASOF],
            group_name=GROUP,
            kinds={"python", "postgres"},
            description="Each film's gravitas from its people's PQS as of its release year.",
        ),
    ],
)
def person_quality_history(warehouse: WarehouseResource):
    """Rebuild the as-of history whole: a new award moves every later year."""
    with warehouse.connection() as conn:
        result = refresh_asof(conn)
    metadata = result.metadata()
    yield dg.MaterializeResult(asset_key=PQS_ASOF, metadata=metadata)
    yield dg.MaterializeResult(
        asset_key=GRAVITAS_ASOF, metadata={"gravitas_rows": result.film_rows}
    )


class GravitasModelConfig(dg.Config):
    """The temporal split: films up to cutoff_year train, later films are the holdout."""

    cutoff_year: int = CUTOFF_YEAR
    first_year: int = FIRST_YEAR


@dg.asset(
    key=GRAVITAS_MODEL,
    deps=[GRAVITAS_ASOF, FILM_OUTCOMES, PROFILE_STORE],
    group_name=GROUP,
    kinds={"statsmodels"},
)
def gravitas_ols(config: GravitasModelConfig, warehouse: WarehouseResource) -> dg.MaterializeResult:
    """OLS of IMDb rating and log worldwide gross on as-of gravitas plus controls, against a
    controls-only baseline; publishes the learned weight as ml_optimized_<date>."""
    with warehouse.connection() as conn:
        model, run_id, path = train_and_record(
            conn,
            config.cutoff_year,
            settings().data_dir / "people",
            people_config().calculation_version,
            config.first_year,
        )
        profile = publish_ml_profile(conn, model, run_id)
        picture = fit_picture(*simple_fit(read_points(conn)))
    metadata = {
        "run_id": run_id,
        "weight_profile": profile,
        "artifact": str(path),
        "gravitas_importance": model.importance,
        "gravitas_fit": picture,
    }
    for target, fit in model.fits.items():
        coefficients = fit.coefficients().round(4).reset_index(names="term")
        metadata[f"{target}_coefficients"] = dg.MetadataValue.md(
            coefficients.to_markdown(index=False)
        )
        metadata.update(
            {
                f"{target}_{name}": value
                for name, value in fit.metrics.items()
                if not isinstance(value, list)
            }
        )
    metadata["primary_target"] = f"{PRIMARY_TARGET} ({TARGETS[PRIMARY_TARGET]})"
    return dg.MaterializeResult(metadata=metadata)


defs = dg.Definitions(
    assets=owned(team("people"), [person_quality, person_quality_history, gravitas_ols])
)
