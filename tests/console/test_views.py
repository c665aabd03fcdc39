"""The console's pure helpers: a metric's curve as the page draws it, and a picture for the
Dagster UI."""

from __future__ import annotations

import base64

import pandas as pd
import pytest

pytestmark = pytest.mark.nodb


def test_a_curve_spans_the_raw_scale_and_follows_the_registry():
    from console.views import curve
    from ml.metrics import normalize_value

    drawn = curve("imdb_rating")
    assert (drawn["raw"].min(), drawn["raw"].max()) == (0.0, 10.0)
    middle = drawn.iloc[len(drawn) // 2]
    assert middle["normalized"] == normalize_value("imdb_rating", middle["raw"]).value


def test_an_open_scale_is_drawn_over_the_observed_range():
    from console.views import curve
    from ml.metrics import metric_definitions

    open_ended = next(d for d in metric_definitions().values() if d.raw_scale_max is None)
    drawn = curve(open_ended.code, 0.0, 1234.0)
    assert drawn["raw"].max() == 1234.0
    assert drawn["normalized"].between(0, 1).all()


def test_a_picture_inlines_its_png_above_its_numbers():
    import matplotlib.pyplot as plt

    from orchestration.pictures import picture

    figure, axis = plt.subplots()
    axis.plot([0, 1], [0, 1])
    markdown = picture(figure, "line", pd.DataFrame({"x": [0.12345], "y": [1]})).value
    encoded = markdown.split("data:image/png;base64,", 1)[1].split(")", 1)[0]
    assert base64.b64decode(encoded).startswith(b"\x89PNG")
    assert markdown.rstrip().endswith("| 0.123 |   1 |")
