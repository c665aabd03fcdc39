"""The one code location: the domain modules' definitions merged, plus shared resources."""

import dagster as dg

from orchestration.defs import (
    casting,
    cohorts,
    companion,
    connectors,
    dbt,
    ingest,
    learning,
    metrics,
    people,
)
from orchestration.resources import shared_resources

defs = dg.Definitions.merge(
    ingest.defs,
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
