"""Runs the Streamlit dashboard on a free local port and drives Debian's Chromium against it.

The browser is the system's Chromium (/usr/bin/chromium, or $CHARGEBACK_CHROMIUM), launched
through Playwright: Playwright never downloads a browser here (scripts/ensure-chromium.sh
installs Debian's). Playwright is imported only when a browser is started, so this module can
be imported where the dashboard's extras are not installed.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

REPO = Path(__file__).resolve().parents[1]
APP = REPO / "dashboard" / "app.py"
CHROMIUM = Path(os.environ.get("CHARGEBACK_CHROMIUM", "/usr/bin/chromium"))
# Headless, and nothing that calls out: the machine reaches no network but the registries.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# The browser window: its width stays (the charts are laid out for it); screenshots grow taller.
WINDOW = {"width": 1280, "height": 900}
STARTUP_SECONDS = 90
RENDER_MS = 30_000
# The caption every page writes last (dashboard/ui.py, footer).
FOOTER = "Source: the Parquet export of the marts"


class DashboardError(RuntimeError):
    """The dashboard or the browser could not be started."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


@contextmanager
def dashboard_server(export_dir: Path, log: Path) -> Iterator[str]:
    """`streamlit run dashboard/app.py` on 127.0.0.1 and a free port; yields its base URL.

    Stops the server on exit, also when the test fails.
    """
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.headless=true",
        "--server.address=127.0.0.1",
        f"--server.port={port}",
        "--server.fileWatcherType=none",
        "--browser.gatherUsageStats=false",
        "--client.toolbarMode=minimal",
    ]
    environment = {**os.environ, "CHARGEBACK_EXPORT_DIR": str(export_dir)}
    with log.open("w") as output:
        process = subprocess.Popen(
            command, cwd=REPO, env=environment, stdout=output, stderr=subprocess.STDOUT
        )
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + STARTUP_SECONDS
            while not answers(f"{base}/_stcore/health"):
                if process.poll() is not None:
                    raise DashboardError(
                        f"the dashboard exited with {process.returncode}:\n{log.read_text()}"
                    )
                if time.monotonic() > deadline:
                    raise DashboardError(
                        f"the dashboard did not answer in {STARTUP_SECONDS} s:\n{log.read_text()}"
                    )
                time.sleep(0.2)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=15)


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's Chromium, headless, through Playwright; DashboardError when it is missing."""
    if not CHROMIUM.is_file():
        raise DashboardError(
            f"Chromium is not installed at {CHROMIUM}: run scripts/ensure-chromium.sh (as root,"
            " it installs Debian's chromium) or set CHARGEBACK_CHROMIUM to a Chromium binary."
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        raise DashboardError(
            "Playwright is not installed: `make test-dashboard` installs requirements-dashboard.txt"
        ) from error
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def rendered(page: Page, url: str) -> str:
    """Opens `url` and waits until the page has run to its end and drawn every element.

    Streamlit sends the elements in order and draws tables and charts lazily: the footer says
    the script has finished, then no element may still be a loading skeleton and every chart
    must have drawn its SVG. Returns the text of the page's main area.
    """
    from playwright.sync_api import expect

    page.goto(url)
    main = page.get_by_test_id("stMain")
    expect(main).to_contain_text(FOOTER, timeout=RENDER_MS)
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=RENDER_MS)
    charts = page.get_by_test_id("stVegaLiteChart")
    for index in range(charts.count()):
        expect(charts.nth(index).locator("svg.marks")).to_be_visible(timeout=RENDER_MS)
    for failure in ("stException", "stAlertContentError"):
        shown = page.get_by_test_id(failure)
        if shown.count():
            raise AssertionError(f"{url} shows an error:\n{shown.first.inner_text()}")
    return main.inner_text()


def chart_texts(page: Page) -> list[str]:
    """Every text drawn in the page's charts (axis labels, legends, annotations)."""
    return [
        text.strip()
        for text in page.locator('[data-testid="stVegaLiteChart"] svg text').all_text_contents()
    ]


def table_rows(page: Page, table: int) -> list[list[str]]:
    """The body rows of the page's `table`-th st.table (0-based), cell by cell."""
    body = page.get_by_test_id("stTable").nth(table).locator("tbody tr")
    return [[cell.strip() for cell in row.locator("td").all_inner_texts()] for row in body.all()]


def table_columns(page: Page, table: int) -> dict[str, list[str]]:
    """The page's `table`-th st.table (0-based) as {header: cells from top to bottom}."""
    headers = page.get_by_test_id("stTable").nth(table).locator("thead th").all_inner_texts()
    rows = table_rows(page, table)
    return {
        header.strip(): [row[position] for row in rows] for position, header in enumerate(headers)
    }


def save_screenshot(page: Page, path: Path) -> None:
    """The whole page as a PNG: the window made as tall as the main area's content."""
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": WINDOW["width"], "height": max(int(height), WINDOW["height"])})
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    compact(path)


def compact(path: Path, colours: int = 256) -> None:
    """Rewrites a screenshot with a palette of `colours`: about a third of the bytes."""
    from PIL import Image

    with Image.open(path) as shot:
        palette = shot.convert("RGB").quantize(colors=colours, dither=Image.Dither.NONE)
    palette.save(path, optimize=True)
