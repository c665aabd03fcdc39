"""Deterministic assignment: a user's arm is a function of the experiment's name and the
user's id, so it is the same in every run, process and machine, with nothing stored first.

sha256 of "<experiment>\\0<user id>" read as a 64-bit number gives a point in [0, 1); the
arms own consecutive slices of [0, 1) in the order of their allocation. Python's hash() is
salted per process and cannot be used. Ids are hashed as text, so 42, 42.0 (an id column
that went through a float) and "42" are the same user. Different experiments hash
independently: being in one arm here says nothing about another experiment. Changing an
experiment's allocation while it runs moves users between arms; do not (start a new
experiment instead).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import numpy as np
import pandas as pd

from ml.experiments.design import ExperimentDesign

SEPARATOR = "\0"
SPAN = float(2**64)


def user_key(user_id: object) -> str:
    if isinstance(user_id, float | np.floating) and float(user_id).is_integer():
        return str(int(user_id))
    return str(user_id)


def unit_point(experiment: str, user_id: object) -> float:
    """The user's point in [0, 1) for this experiment."""
    digest = hashlib.sha256(f"{experiment}{SEPARATOR}{user_key(user_id)}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / SPAN


def assign(design: ExperimentDesign, user_ids: Iterable[object]) -> pd.Series:
    """Each user's arm, indexed by user id."""
    ids = list(user_ids)
    points = np.fromiter((unit_point(design.name, user) for user in ids), float, len(ids))
    bounds = np.cumsum(design.allocation)[:-1]  # the last arm takes the rest: no rounding gap
    arms = np.asarray(design.arms, dtype=object)[np.searchsorted(bounds, points, side="right")]
    return pd.Series(arms, index=pd.Index(ids, name="user_id"), name="arm")


def arm_for(design: ExperimentDesign, user_id: object) -> str:
    return str(assign(design, [user_id]).iloc[0])
