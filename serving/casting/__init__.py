"""A producer's brief in, a ranked actor slate with reasons, alternates and a manifest out,
from a trained casting model (`ml.casting`)."""

from serving.casting.model import latest_model, reliability
from serving.casting.recommend import SlateResult, recommend, write_slate
from serving.casting.slate import Brief
from serving.casting.store import store_slate

__all__ = [
    "Brief",
    "SlateResult",
    "latest_model",
    "recommend",
    "reliability",
    "store_slate",
    "write_slate",
]
