"""A producer's brief in, a ranked actor slate with reasons, alternates and a manifest out,
from a trained casting model (`ml.casting`)."""

from serving.casting.recommend import SlateResult, recommend, write_slate
from serving.casting.slate import Brief

__all__ = ["Brief", "SlateResult", "recommend", "write_slate"]
