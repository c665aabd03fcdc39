"""Conversation extractors: the offline parser's rules, the labelled set, the LLM client
against a local HTTP server of the test's own."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from ml.companion.conversation import llm, offline
from ml.companion.conversation.quality import read_vocabularies, score

pytestmark = pytest.mark.nodb
FIXTURES = Path(__file__).parent / "fixtures"
KEY = "sk-test-secret-123"


@pytest.fixture(scope="module")
def vocabulary():
    people, films = read_vocabularies(FIXTURES / "vocabulary.csv")
    return offline.Vocabulary.build(people, films)


def test_negation_and_contrast(vocabulary):
    got = offline.extract("I loved Dune's visuals but it was too slow", vocabulary)
    assert got.triples() == {
        ("film", "dune", 1),
        ("visual_style", "striking_visuals", 1),
        ("pacing", "slow", -1),
    }
    assert got.conversation_type == "loved_it"
    assert offline.extract(
        "I don't like horror but I love a good thriller", vocabulary
    ).triples() == {("genre", "horror", -1), ("genre", "thriller", 1)}


def test_significance_grows_with_evidence(vocabulary):
    one = offline.extract("I like westerns", vocabulary).significance
    three = offline.extract(
        "I really love slow burn mysteries with stunning visuals", vocabulary
    ).significance
    assert 0 < one < three <= 1


def test_labelled_set_precision_and_recall(vocabulary):
    quality = score(
        FIXTURES / "utterances.csv", lambda text, film: offline.extract(text, vocabulary, film)
    )
    assert quality["utterances"] >= 60
    assert quality["precision"] >= 0.9
    assert quality["recall"] >= 0.75


class _Handler(BaseHTTPRequestHandler):
    answers: ClassVar[list] = []
    seen_auth: ClassVar[list] = []

    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        self.seen_auth.append(self.headers.get("Authorization"))
        status, body = self.answers.pop(0)
        payload = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = HTTPServer(("127.0.0.1", 0), _Handler)
    _Handler.answers, _Handler.seen_auth = [], []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def _config(server) -> llm.LLMConfig:
    return llm.LLMConfig(
        f"http://127.0.0.1:{server.server_port}/v1", "test-model", KEY, timeout_s=5
    )


def _chat(content: str) -> dict:
    return {"choices": [{"message": {"role": "assistant", "content": content}}]}


def test_llm_answer_is_validated_and_used(server, vocabulary):
    answer = {
        "conversation_type": "mood_request",
        "preferences": [{"dimension": "mood", "value": "cozy", "polarity": 1, "weight": 0.8}],
        "significance": 0.8,
    }
    _Handler.answers = [(200, _chat(json.dumps(answer)))]
    outcome = llm.extract("something cosy", vocabulary, _config(server))
    assert outcome.extractor == "llm" and outcome.fallback_reason is None
    assert outcome.extraction.triples() == {("mood", "cozy", 1)}
    assert _Handler.seen_auth == [f"Bearer {KEY}"]


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ((500, {"error": KEY}), "http status 500"),
        ((200, _chat("not json at all")), "answer is not the expected JSON"),
        (
            (
                200,
                _chat(
                    json.dumps(
                        {"conversation_type": "chit_chat", "preferences": [], "significance": 2}
                    )
                ),
            ),
            "answer does not match the schema",
        ),
        ((200, b"<html>"), "answer is not the expected JSON"),
    ],
)
def test_llm_failures_fall_back_offline_without_the_key(server, vocabulary, answer, reason):
    _Handler.answers = [answer]
    outcome = llm.extract("Not a fan of musicals", vocabulary, _config(server))
    assert outcome.extractor == "offline"
    assert outcome.fallback_reason.startswith(reason)
    assert KEY not in outcome.fallback_reason and KEY not in repr(_config(server))
    assert outcome.extraction.triples() == {("genre", "musical", -1)}


def test_unreachable_endpoint_falls_back(vocabulary):
    config = llm.LLMConfig("http://127.0.0.1:9/v1", "m", KEY, timeout_s=1)
    outcome = llm.extract("I like westerns", vocabulary, config)
    assert outcome.extractor == "offline" and outcome.fallback_reason == "connection failed"


def test_slow_endpoint_times_out_and_falls_back(server, vocabulary):
    import time

    class Slow(_Handler):
        def do_POST(self):
            time.sleep(1.5)
            super().do_POST()

    server.RequestHandlerClass = Slow
    _Handler.answers = [(200, _chat("{}"))]
    config = llm.LLMConfig(f"http://127.0.0.1:{server.server_port}/v1", "m", KEY, timeout_s=0.3)
    outcome = llm.extract("I like westerns", vocabulary, config)
    assert outcome.extractor == "offline" and outcome.fallback_reason == "timeout"
