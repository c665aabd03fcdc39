"""The one code location: the domain modules' definitions merged, plus shared resources."""

import dagster as dg

from orchestration.defs import (
    casting,
    cohorts,
    companion,
    connectors,
    dbt,
    freshness,
    ingest,
    learning,
    metrics,
    people,
    raw_checks,
)
from orchestration.materialize_all import everything_jobs
from orchestration.resources import shared_resources

_domains = dg.Definitions.merge(
    ingest.defs,
    raw_checks.defs,
    dbt.defs,
    casting.defs,
    cohorts.defs,
    companion.defs,
    connectors.defs,
    metrics.defs,
    people.defs,
    learning.defs,
    dg.Definitions(resources=shared_resources()),
)

# `cinegraph materialize` runs these named jobs, so its runs carry a name in the UI.
defs = dg.Definitions.merge(
    _domains, freshness.freshness_defs(_domains), dg.Definitions(jobs=everything_jobs(_domains))
)
