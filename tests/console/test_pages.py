"""Every console page under Streamlit's AppTest against the test warehouse, as the console's
own role: it runs without an exception, shows what it is for, and its main interaction works."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from console.views import DEFAULT_MIN_COVERAGE
from orchestration.settings import PROJECT_ROOT

pytestmark = pytest.mark.slow

APP = PROJECT_ROOT / "console" / "app.py"
TIMEOUT_S = 180  # a page's first run loads models and fills the caches on a busy machine


def open_page(name: str) -> AppTest:
    app = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    app.run()  # the default page, Films
    if name != "films":
        app.switch_page(f"screens/{name}.py")
        app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def texts(app: AppTest) -> str:
    return "\n".join(
        [m.value for m in app.markdown]
        + [c.value for c in app.caption]
        + [e.value for e in app.error]
    )


@pytest.mark.parametrize(
    ("page", "title", "has_charts"),
    [
        ("films", "Films", True),
        ("metrics_admin", "Metrics admin", True),
        ("people", "People", True),
        ("cohorts", "Cohorts", True),
        ("casting", "Casting", True),
        ("picks", "My picks", False),  # a chart only when a taste is learned
    ],
)
def test_every_page_shows_its_content(materialized, page, title, has_charts):
    app = open_page(page)
    assert app.title[0].value == title
    assert not app.error, [e.value for e in app.error]
    assert len(app.get("vega_lite_chart")) > 0 or not has_charts
    if page in ("films", "people", "cohorts"):
        assert not app.dataframe[0].value.empty
    if page == "picks":
        assert any(b.key and b.key.startswith("liked_") for b in app.button)


def test_films_page_explains_the_top_film(materialized):
    app = open_page("films")
    board = app.dataframe[0].value
    assert board["available_coverage"].min() >= DEFAULT_MIN_COVERAGE
    assert board["ranked_score"].is_monotonic_decreasing
    assert app.metric[0].label.startswith(board["title"].iloc[0])
    assert float(app.metric[0].value) == pytest.approx(board["total_score"].iloc[0], abs=1e-4)


@pytest.fixture
def custom_profile(db):
    from serving.metrics import create_profile, delete_profile

    create_profile(db, "console_test", created_by="test", reason="console test")
    yield "console_test"
    delete_profile(db, "console_test", deleted_by="test", reason="console test done")


def explained_score(app: AppTest, profile: str) -> float:
    shown = [m for m in app.metric if m.label.endswith(f"under {profile}")]
    return float(shown[0].value)


def test_a_profile_weight_change_changes_the_explained_score(materialized, custom_profile, db):
    app = open_page("metrics_admin")
    app.selectbox(key="edit_profile").set_value(custom_profile).run()
    with db.cursor() as cur:
        cur.execute(
            "select film_id from marts.film_scores where profile = 'balanced' "
            "and categories_used >= 3 order by total_score desc limit 1"
        )
        film_id = cur.fetchone()[0]
    app.text_input(key="preview_film").set_value(str(film_id)).run()
    before = explained_score(app, custom_profile)
    for slider in app.slider:
        if slider.key and slider.key.startswith(f"weight_{custom_profile}_"):
            slider.set_value(1.0 if slider.key.endswith("_rating") else 0.0)
    app.number_input(key=f"ranking_prior_{custom_profile}").set_value(0.4)
    app.text_input(key="edit_who").set_value("tester")
    app.text_input(key="edit_why").set_value("only ratings count")
    app.button[0].click().run()
    assert not app.exception
    assert not app.error, [e.value for e in app.error]
    after = explained_score(app, custom_profile)
    assert after != pytest.approx(before, abs=1e-6)
    with db.cursor() as cur:
        cur.execute(
            "select changed_by, new_values -> 'category_weights' ->> 'rating', "
            "new_values ->> 'ranking_prior' "
            "from app.weight_profile_history where profile = %s order by id desc limit 1",
            (custom_profile,),
        )
        assert cur.fetchone() == ("tester", "1.0", "0.4")


def submit_brief(app: AppTest, **fields) -> AppTest:
    form = {"Release year": None, "Budget (millions of dollars)": None, **fields}
    for box in app.text_input:
        if box.label in form and form[box.label] is not None:
            box.set_value(form[box.label])
    app.button[0].click()
    return app.run()


def test_a_casting_brief_returns_a_slate_with_reasons(materialized):
    app = submit_brief(open_page("casting"))
    assert not app.exception
    assert not app.error, [e.value for e in app.error]
    slate = app.dataframe[0].value
    assert len(slate) == 10
    assert slate["p_cal"].between(0, 1).all()
    assert any(m.value.startswith("**1. ") for m in app.markdown)


def test_a_bad_brief_shows_the_clis_validation_message(materialized, capsys):
    from orchestration.cli import main

    with pytest.raises(SystemExit):
        main(["slate", "--year", "1800", "--budget", "40", "--genres", "Drama"])
    cli_rule = capsys.readouterr().err.split("argument --year: ")[1].split(" (see")[0]
    app = submit_brief(open_page("casting"), **{"Release year": "1800"})
    assert not app.exception
    assert [e.value for e in app.error] == [cli_rule]
    assert not app.dataframe  # no slate for a bad brief


def test_picks_show_reasons_and_record_feedback(materialized, db):
    app = open_page("picks")
    user = app.selectbox(key="user").value
    from serving.companion import picks

    reasons = picks(db, user).picks["reason"].tolist()
    db.rollback()
    assert reasons and all(reason in texts(app) for reason in reasons)
    like = next(b for b in app.button if b.key and b.key.startswith("liked_"))
    film_id = int(like.key.rsplit("_", 1)[1])
    like.click().run()
    assert not app.exception
    with db.cursor() as cur:
        cur.execute(
            "select kind, context ->> 'surface' from app.feedback_events "
            "where user_id = %s and film_id = %s order by event_id desc limit 1",
            (user, film_id),
        )
        assert cur.fetchone() == ("liked", "console")


def test_tell_me_stores_an_injection_string_as_data(materialized, db):
    hostile = "I loved it'); drop table app.conversations; -- <script>alert(1)</script>"
    app = open_page("picks")
    user = app.selectbox(key="user").value
    app.text_area[0].set_value(hostile)
    next(b for b in app.button if b.label == "Tell").click().run()
    assert not app.exception
    assert not app.error, [e.value for e in app.error]
    assert any(s.value.startswith("Stored as conversation") for s in app.success)
    with db.cursor() as cur:
        cur.execute(
            "select said from app.conversations where user_id = %s "
            "order by conversation_id desc limit 1",
            (user,),
        )
        assert cur.fetchone() == (hostile,)


def test_an_unreachable_warehouse_is_one_message(materialized, monkeypatch):
    from console import connection
    from orchestration.settings import Connection

    class Unreachable:
        console_app = Connection("127.0.0.1", 1, "console_app", "x", "cinegraph")

    connection._pool.clear()
    monkeypatch.setattr(connection, "settings", lambda: Unreachable())
    try:
        app = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S).run()
        assert not app.exception
        assert len(app.error) == 1
        assert "not reachable" in app.error[0].value
        assert "cinegraph up" in app.error[0].value
    finally:
        connection._pool.clear()
