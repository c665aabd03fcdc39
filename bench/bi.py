"""The BI surface of the warehouse the foundation benchmark materialised.

marts_column_doc_share       columns with a comment / all columns of the relations in
                             schema marts (target >= 0.9)
bi_marts_visible_relations   relations in marts the bi_reader role may select (target < 80)
"""

from __future__ import annotations

# bench._env first: it points the settings at the bench warehouse.
from bench._env import started_warehouse
from orchestration.settings import BI_ROLE
from warehouse.bi_surface import column_doc_share, selectable_relations


def run() -> dict[str, float]:
    conn = started_warehouse(needs="marts.film_scores")
    commented, total = column_doc_share(conn)
    visible = selectable_relations(conn, BI_ROLE)
    conn.rollback()
    conn.close()
    return {
        "marts_column_doc_share": round(commented / total, 3),
        "bi_marts_visible_relations": visible,
    }
