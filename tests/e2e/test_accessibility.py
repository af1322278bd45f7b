"""axe-core (axe-playwright-python) on every page state, in French and in English: home, join,
each participant section and the edit dialog, each console section, each projector view.
No critical and no serious violation; `<html lang>` follows the page's language."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.e2e.conftest import goto, server_db, wait_ready
from workshop import demo, links, store
from workshop.i18n import t
from workshop.model import PROJECTOR_VIEWS

AXE = Axe()
SECTIONS = ["contacts", "ideas", "vote", "collectifs", "place"]
CONSOLE = ["room", "moderation", "network", "themes", "collectifs", "settings", "export"]
VIEWS = PROJECTOR_VIEWS


@pytest.fixture(scope="module")
def room(server):
    """A demo room (8 people, themes, votes, collectifs) with every round open."""
    conn = server_db(server)
    try:
        result = demo.seed_demo(conn, participants=8, seed=3, public_base_url=server.url)
        for name in ("contacts", "ideas", "vote", "collectifs"):
            store.set_round(conn, result.workshop.id, name, is_open=True)
        return result
    finally:
        conn.close()


def serious(page) -> list[str]:
    results = AXE.run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(f"{n['target'][0]} {n['failureSummary'][:160]!r}" for n in v["nodes"][:3])
        for v in results.response["violations"]
        if v["impact"] in ("critical", "serious")
    ]


def check(page, pages, what: str, lang: str, found: dict) -> None:
    page.wait_for_function(f"document.documentElement.lang === '{lang}'", timeout=5_000)
    pages.shot(page, f"{lang}-{what}", full_page=False)
    problems = serious(page)
    if problems:
        found[f"{lang}/{what}"] = problems


def set_language(page, lang: str) -> None:
    if lang == "en":
        # Streamlit's pages have a switch; the plain join page, links.
        page.get_by_role("radio", name="English").or_(page.get_by_role("link", name="English")).first.click()
        wait_ready(page)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_participant_pages_have_no_serious_violation(server, pages, room, lang):
    found: dict = {}
    phone = pages.new("phone", width=390, height=844)
    goto(phone, server.url + "/")
    set_language(phone, lang)
    check(phone, pages, "home", lang, found)
    phone.get_by_role("link", name=t("home.create_link", lang)).click()  # the plain creation page, in the home's language
    phone.wait_for_url(f"**/new?lang={lang}")
    check(phone, pages, "new", lang, found)
    goto(phone, links.join_url(room.workshop))
    set_language(phone, lang)
    check(phone, pages, "join", lang, found)
    goto(phone, links.participant_url(room.workshop, room.participant_tokens[0]))
    set_language(phone, lang)
    for section in SECTIONS:
        label = t("me.my_place_short", lang) if section == "place" else t(f"round.{section}", lang)
        phone.get_by_role("radio", name=label, exact=True).click()
        wait_ready(phone)
        check(phone, pages, f"me-{section}", lang, found)
    phone.get_by_role("radio", name=t("round.contacts", lang), exact=True).click()
    wait_ready(phone)
    phone.get_by_role("button", name=t("me.edit", lang), exact=True).click()
    expect(phone.get_by_role("dialog")).to_be_visible()
    expect(phone.get_by_role("dialog").get_by_text(t("me.edit_contact", lang))).to_be_visible()
    check(phone, pages, "me-edit-dialog", lang, found)
    assert not found, "\n".join(f"{k}: {v}" for k, v in found.items())


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_console_and_projector_have_no_serious_violation(server, pages, room, lang):
    found: dict = {}
    console = pages.new("console", width=1440, height=900)
    goto(console, links.facilitator_url(room.workshop, room.facilitator_token))
    set_language(console, lang)
    for section in CONSOLE:
        console.get_by_role("radio", name=t(f"con.{section}", lang), exact=True).click()
        wait_ready(console)
        check(console, pages, f"console-{section}", lang, found)
    wall = pages.new("wall", width=1920, height=1080)
    conn = server_db(server)
    try:
        store.update_workshop(conn, room.workshop.id, language=lang)
        for view in VIEWS:
            store.update_workshop(conn, room.workshop.id, projector_view=view)
            goto(wall, links.projector_url(room.workshop))
            check(wall, pages, f"projector-{view}", lang, found)
    finally:
        store.update_workshop(conn, room.workshop.id, language="fr", projector_view="counters")
        conn.close()
    assert not found, "\n".join(f"{k}: {v}" for k, v in found.items())
