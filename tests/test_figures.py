"""Figures in README.md and docs/*.md are bench/results.json's, written by
scripts/render_figures.py: a document whose figure differs from the measurement fails here."""

from __future__ import annotations

import importlib.util
import json
import sys

import pytest

from orchestration.settings import PROJECT_ROOT

pytestmark = pytest.mark.nodb


def _renderer():
    spec = importlib.util.spec_from_file_location(
        "render_figures", PROJECT_ROOT / "scripts" / "render_figures.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


render_figures = _renderer()


def test_every_document_figure_matches_results_json():
    results = json.loads(render_figures.RESULTS.read_text())
    drifted = render_figures.drift(results, render_figures.documents())
    assert not drifted, "run scripts/render_figures.py:\n" + "\n".join(map(str, drifted))


def test_the_casting_and_cohort_docs_quote_generated_figures():
    for doc in ("casting.md", "cohorts.md"):
        text = (PROJECT_ROOT / "docs" / doc).read_text()
        assert len(render_figures.FIGURE.findall(text)) >= 3, doc


def test_a_typed_figure_is_caught_and_rewritten():
    results = {"casting_auroc_holdout": 0.74123, "casting_actor_head": "random_forest"}
    text = (
        "AUROC <!-- figure:casting_auroc_holdout:.3f -->0.749<!-- /figure --> by "
        "<!-- figure:casting_actor_head -->random_forest<!-- /figure -->.\n"
        "<!-- table:casting_auroc_holdout:.2f -->\nstale\n<!-- /table -->"
    )
    rendered, changes = render_figures.render(text, results)
    assert [key for key, _, _ in changes] == ["casting_auroc_holdout", "casting_auroc_holdout"]
    assert "-->0.741<!--" in rendered and "| `casting_auroc_holdout` | 0.74 |" in rendered
    assert render_figures.render(rendered, results)[1] == []


def test_a_figure_missing_from_results_json_is_drift_and_stays_as_typed():
    text = "<!-- figure:no_such_figure -->1<!-- /figure -->"
    rendered, changes = render_figures.render(text, {})
    assert rendered == text
    assert changes == [("no_such_figure", "1", render_figures.MISSING)]
