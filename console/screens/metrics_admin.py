"""Metrics admin: the registry's definitions with their curves and a live tester, the weight
profiles with sliders that write through the profile API, coverage, and a test playground."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from console import charts, reads, views
from console.connection import connection
from console.explain import show_explained
from ml.metrics import categories
from serving import metrics as api
from serving import validation

st.title("Metrics admin")
admin = reads.metrics_admin()
# The film the explanations start on: the balanced profile's best-covered top film.
top = reads.films(views.DEFAULT_PROFILE, 50, views.DEFAULT_MIN_COVERAGE).board
example_film = str(top["film_id"].iloc[0]) if not top.empty else ""
definitions, profiles_tab, coverage_tab, playground = st.tabs(
    ["Definitions", "Weight profiles", "Coverage", "Test playground"]
)

with definitions:
    chosen_categories = st.multiselect("Categories", list(categories()), list(categories()))
    coverage = admin.coverage[["metric_code", "coverage_share", "min_value", "max_value"]]
    table = admin.definitions.merge(coverage, left_on="code", right_on="metric_code", how="left")
    table = table[table["category"].isin(chosen_categories)].drop(columns="metric_code")
    st.dataframe(
        table,
        hide_index=True,
        column_config={
            "coverage_share": charts.share_column("coverage (share of films)", decimals=3),
            "reliability": charts.share_column("source reliability"),
        },
    )
    code = st.selectbox("Metric", table["code"].tolist())
    if code:
        row = table.set_index("code").loc[code]
        curve = views.curve(code, row.get("min_value"), row.get("max_value"))
        st.altair_chart(
            charts.lines(
                curve,
                "raw:Q",
                "normalized:Q",
                f"raw value ({row['unit'] or 'no unit'})",
                "normalised value (0-1)",
            ).properties(title=f"{code}: {row['normalization']} curve"),
            width="stretch",
        )
        raw = st.number_input("Raw value to test", value=float(curve["raw"].median()))
        tested = api.normalize_value(code, raw)
        clamped = " (clamped into the raw scale first)" if tested.clamped else ""
        st.success(f"{code}({raw:g}) = {tested.value:.4f}{clamped}")

with profiles_tab:
    profiles = reads.profiles()
    profile = st.selectbox("Profile", profiles, key="edit_profile")
    weights = reads.profile_weights(profile)
    preview_film = st.text_input(
        "Film whose score the edit shows",
        example_film,
        key="preview_film",
        help="a film_id, an IMDb id, a title or 'Title (year)'",
    )
    st.altair_chart(
        charts.bars(
            pd.DataFrame(weights.category_weights.items(), columns=["category", "weight"]),
            "weight:Q",
            "category:N",
            "category weight (share of 1)",
            "category",
        ),
        width="stretch",
    )
    if weights.is_system:
        st.info(
            f"{profile!r} is a system profile (the weight_profiles seed, changed in git). "
            "Create a custom profile from it to edit weights here."
        )
        with st.form("create_profile"):
            name = st.text_input("New profile name (lower-case snake_case)")
            who = st.text_input("Your name", key="create_who")
            why = st.text_input("Why", key="create_why")
            if st.form_submit_button("Create custom profile"):
                try:
                    with connection() as conn:
                        api.create_profile(
                            conn,
                            validation.text(name, "profile name"),
                            created_by=validation.text(who, "your name"),
                            reason=validation.text(why, "reason"),
                            based_on=profile,
                        )
                    st.success(f"created {name}: choose it above to edit its weights")
                except (ValueError, LookupError) as exc:
                    st.error(str(exc))
    else:
        st.caption("Weights are rescaled to sum to 1 when saved.")
        sliders = {
            category: st.slider(
                f"{category} weight",
                0.0,
                1.0,
                float(value),
                step=0.05,
                key=f"weight_{profile}_{category}",
            )
            for category, value in weights.category_weights.items()
        }
        total = sum(sliders.values())
        left, right = st.columns(2)
        ranking_k = left.number_input(
            "ranking k (weight coverage at which a film's own score and the prior count equally)",
            min_value=0.01,
            value=float(weights.ranking_k),
            step=0.05,
            key=f"ranking_k_{profile}",
        )
        ranking_prior = right.number_input(
            "ranking prior (where a film with no evidence ranks, 0-1)",
            min_value=0.0,
            max_value=1.0,
            value=float(weights.ranking_prior),
            step=0.05,
            key=f"ranking_prior_{profile}",
        )
        who = st.text_input("Your name", key="edit_who")
        why = st.text_input("Why", key="edit_why")
        if st.button("Save weights", type="primary", disabled=total == 0):
            rescaled = {category: value / total for category, value in sliders.items()}
            # Rounding can leave the sum a hair off 1; the last category takes the rest.
            last = list(rescaled)[-1]
            rescaled[last] = 1 - sum(v for c, v in rescaled.items() if c != last)
            try:
                with connection() as conn:
                    api.update_profile_weight(
                        conn,
                        profile,
                        changed_by=validation.text(who, "your name"),
                        reason=validation.text(why, "reason"),
                        category_weights=rescaled,
                        ranking_k=ranking_k,
                        ranking_prior=ranking_prior,
                    )
                st.cache_data.clear()
                st.success("saved; the scores below use the new weights")
            except (ValueError, LookupError) as exc:
                st.error(str(exc))
        st.dataframe(reads.profile_history(profile), hide_index=True)
    show_explained(preview_film, profile)

with coverage_tab:
    metric_rows = admin.coverage
    below = metric_rows[metric_rows["coverage_share"] < metric_rows["coverage_threshold"]]
    first, second = st.columns(2)
    first.metric("Metrics tracked", len(metric_rows))
    second.metric("Below their coverage threshold", len(below))
    st.altair_chart(
        charts.bars(
            metric_rows,
            "coverage_share:Q",
            "metric_code:N",
            "share of films with a value",
            "metric",
            color="category:N",
        ),
        width="stretch",
    )
    st.altair_chart(
        charts.heatmap(
            admin.coverage_by_source,
            "source:N",
            "metric_code:N",
            "coverage_share:Q",
            "source",
            "metric",
            "coverage (share of films)",
        ),
        width="stretch",
    )
    trend = admin.coverage_trend.assign(
        snapshot_at=pd.to_datetime(admin.coverage_trend["snapshot_at"], utc=True)
    )
    st.altair_chart(
        charts.lines(
            trend,
            "snapshot_at:T",
            "coverage_share:Q",
            "snapshot (UTC)",
            "share of films with data",
            color="category:N",
        ),
        width="stretch",
    )

with playground:
    film = st.text_input("Film to test", example_film, key="playground_film")
    compared = st.multiselect("Profiles to compare", profiles, profiles[:3])
    columns = st.columns(max(len(compared), 1))
    for column, name in zip(columns, compared, strict=False):
        with column:
            show_explained(film, name)
