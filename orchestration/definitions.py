"""The one code location: the domain modules' definitions merged, plus shared resources."""

import dagster as dg

from orchestration.defs import dbt, ingest
from orchestration.resources import shared_resources

defs = dg.Definitions.merge(
    ingest.defs,
    dbt.defs,
    dg.Definitions(resources=shared_resources()),
)
