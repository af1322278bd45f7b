"""A real `streamlit run` server on a free loopback port with its own database, and Debian's
Chromium driven by Playwright. Screenshots of every step go to test-artifacts/ (git-ignored)."""

from __future__ import annotations

import asyncio
import re
import shutil
import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect

from scripts.stserver import Server
from scripts.wire import READY, wait_ready  # noqa: F401 - the tests import both from here

expect.set_options(timeout=15_000)

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    srv = Server(tmp_path_factory.mktemp("e2e") / "workshop.db", log=ARTIFACTS / "server.log")
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield b
        b.close()


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)


class Pages:
    """Browser contexts for one test; each step can be photographed, all pages on failure."""

    def __init__(self, browser, name: str) -> None:
        self.browser, self.name = browser, re.sub(r"[^\w.-]+", "_", name)
        self.contexts, self.pages, self.step = [], {}, 0

    def new(self, label: str, *, width: int = 1440, height: int = 900):
        ctx = self.browser.new_context(viewport={"width": width, "height": height}, locale="fr-FR")
        ctx.set_default_timeout(30_000)
        page = ctx.new_page()
        self.contexts.append(ctx)
        self.pages[label] = page
        return page

    def shot(self, page, what: str, *, full_page: bool = True) -> Path:
        self.step += 1
        folder = ARTIFACTS / self.name
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{self.step:02d}-{what}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    def close(self, failed: bool) -> None:
        if failed:
            for label, page in self.pages.items():
                try:
                    self.shot(page, f"FAILED-{label}")
                except Exception:
                    pass
        for ctx in self.contexts:
            ctx.close()


@pytest.fixture
def pages(browser, request):
    p = Pages(browser, request.node.name)
    yield p
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    p.close(failed)


def goto(page, url: str) -> None:
    page.goto(url)
    wait_ready(page)
    page.wait_for_timeout(300)


def fill(locator, text: str) -> None:
    """Type into a Streamlit input and leave it (Tab), so the value is committed before a click."""
    locator.fill(text)
    locator.press("Tab")


def no_horizontal_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    assert width <= viewport, f"page is {width}px wide in a {viewport}px viewport"


def run_async(coro, *, timeout: float = 120):
    """Run a coroutine to its end and return its result: in a thread of its own, since
    Playwright's sync API owns this thread's event loop once a browser test has run."""
    out: dict = {}

    def target() -> None:
        try:
            out["value"] = asyncio.run(coro)
        except BaseException as exc:  # handed to the test's thread
            out["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(timeout)
    assert not thread.is_alive(), f"still running after {timeout} s"
    if "error" in out:
        raise out["error"]
    return out.get("value")


def server_db(server):
    """A connection to the server's own database file (the test reads what really landed)."""
    from workshop import db as dbmod

    return dbmod.open_db(server.db_path)


def new_workshop(server, **kwargs):
    """Create a workshop straight in the server's database; returns (workshop, facilitator token)."""
    from workshop import store

    conn = server_db(server)
    try:
        return store.create_workshop(conn, title=kwargs.pop("title", "Atelier E2E"), public_base_url=server.url, **kwargs)
    finally:
        conn.close()


def join_by_link(page, server, code: str, name: str) -> None:
    """Open the QR link, type a name, join: lands on the personal page."""
    goto(page, f"{server.url}/?code={code}")
    fill(page.get_by_label("Votre prénom ou pseudonyme"), name)
    page.get_by_role("button", name="Rejoindre").click()
    page.wait_for_url(re.compile(r".*/me\?p="))
    wait_ready(page)
