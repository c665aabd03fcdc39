"""Open every console page in headless Chromium (the system's `/usr/bin/chromium`, driven by
Playwright; never a downloaded browser), wait for its content, report any Streamlit
exception block, and save a screenshot per page.

The browser test (`tests/console/test_browser.py`) uses it; so does the command that
regenerates the README's screenshots against a running console:

    .venv/bin/cinegraph console --port 8501 &
    .venv/bin/python -m console.browser http://127.0.0.1:8501 docs/console films casting
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# url path -> (title, what shows the page's data has arrived)
PAGES = {
    "films": ("Films", '[data-testid="stDataFrame"]'),
    "metrics": ("Metrics admin", ".vega-embed"),
    "people": ("People", ".vega-embed"),
    "cohorts": ("Cohorts", ".vega-embed"),
    "casting": ("Casting", ".vega-embed"),
    "picks": ("My picks", '[data-testid="stButton"]'),
}
# Pages whose screenshot shows a submitted form: url path -> (button, what shows the result)
SUBMIT = {"casting": ("Recommend a slate", '[data-testid="stDataFrame"]')}
RUNNING = '[data-testid^="stStatusWidgetRunning"]'
EXCEPTION = '[data-testid="stException"]'
QUIET_S = 2.0  # the app counts as settled after this long without running


@dataclass
class Visit:
    page: str
    screenshot: Path
    exceptions: list[str]
    errors: list[str]


def _settle(page, marker: str, timeout_s: float) -> None:
    page.wait_for_selector(marker, timeout=timeout_s * 1000)
    deadline, quiet_since = time.monotonic() + timeout_s, None
    while time.monotonic() < deadline:
        if page.locator(RUNNING).count():
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= QUIET_S:
            return
        time.sleep(0.25)
    raise TimeoutError(f"{page.url} still running after {timeout_s:.0f} s")


def visit_pages(
    base_url: str, folder: Path, pages=tuple(PAGES), timeout_s: float = 180
) -> list[Visit]:
    from playwright.sync_api import sync_playwright

    folder.mkdir(parents=True, exist_ok=True)
    visits = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            for name in pages:
                title, marker = PAGES[name]
                page.goto(f"{base_url.rstrip('/')}/{name}")
                page.get_by_role("heading", name=title).first.wait_for(timeout=timeout_s * 1000)
                _settle(page, marker, timeout_s)
                if name in SUBMIT:
                    button, result = SUBMIT[name]
                    page.get_by_role("button", name=button).click()
                    _settle(page, result, timeout_s)
                shot = folder / f"{name}.png"
                page.screenshot(path=str(shot), full_page=True)
                visits.append(
                    Visit(
                        name,
                        shot,
                        page.locator(EXCEPTION).all_inner_texts(),
                        page.locator('[data-testid="stAlertContentError"]').all_inner_texts(),
                    )
                )
        finally:
            browser.close()
    return visits


if __name__ == "__main__":
    url, out, *chosen = sys.argv[1:]
    for visit in visit_pages(url, Path(out), chosen or tuple(PAGES)):
        problems = visit.exceptions + visit.errors
        print(f"{visit.page}: {visit.screenshot}" + (f" PROBLEMS: {problems}" if problems else ""))
