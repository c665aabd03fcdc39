"""Precision and recall of an extractor on a labelled set of utterances.

The set is a CSV (utterance, film, expected_type, expected) where `expected` lists the
preferences as `dimension:value:polarity` joined by ";"; values compare case-insensitively.
A vocabulary CSV (kind = person | film, name, id) gives the names the extractor may know.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

from ml.companion.conversation.schema import Extraction


def read_vocabularies(path: Path) -> tuple[dict[str, int], dict[str, int]]:
    """(people, films): name -> id."""
    people, films = {}, {}
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            (people if row["kind"] == "person" else films)[row["name"]] = int(row["id"])
    return people, films


def _expected(text: str) -> set[tuple[str, str, int]]:
    triples = set()
    for item in filter(None, text.split(";")):
        dimension, rest = item.split(":", 1)
        value, polarity = rest.rsplit(":", 1)
        triples.add((dimension, value.lower(), int(polarity)))
    return triples


def score(path: Path, extract: Callable[[str, bool], Extraction]) -> dict[str, float]:
    """Micro precision and recall over (dimension, value, polarity), and type accuracy."""
    true_pos = predicted = expected = types_right = rows = 0
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            got = extract(row["utterance"], bool(row["film"]))
            want = _expected(row["expected"])
            true_pos += len(got.triples() & want)
            predicted += len(got.triples())
            expected += len(want)
            types_right += got.conversation_type == row["expected_type"]
            rows += 1
    return {
        "precision": true_pos / predicted if predicted else 0.0,
        "recall": true_pos / expected if expected else 0.0,
        "type_accuracy": types_right / rows,
        "utterances": rows,
    }
