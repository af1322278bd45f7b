"""The facilitator's themes on a phone (390×844), in French and in English: optional chips under
the idea, one tap, never required; the choice lands in the database as the author's."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import fill, goto, new_workshop, no_horizontal_scroll, server_db, wait_ready
from workshop import store

WORDS = {
    "fr": {
        "name": "Votre prénom ou pseudonyme",
        "join": "Rejoindre",
        "field": "Publier une idée",
        "chips": "Thème (facultatif)",
        "post": "Publier",
        "posted": "Idée publiée.",
    },
    "en": {
        "name": "Your first name or a pseudonym",
        "join": "Join",
        "field": "Post an idea",
        "chips": "Theme (optional)",
        "post": "Post",
        "posted": "Idea posted.",
    },
}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_participant_picks_one_of_the_facilitators_themes(server, pages, language):
    workshop, _ = new_workshop(server, language=language)
    conn = server_db(server)
    mobility, _food = store.name_themes(conn, workshop.id, ["Mobilité douce", "Alimentation locale"])
    store.set_round(conn, workshop.id, "ideas", is_open=True)
    conn.close()
    words = WORDS[language]
    phone = pages.new(f"phone-{language}", width=390, height=844)
    goto(phone, f"{server.url}/?code={workshop.code}")  # the QR's link, in the workshop's language
    fill(phone.get_by_label(words["name"]), "Lou")
    phone.get_by_role("button", name=words["join"]).click()
    phone.wait_for_url(re.compile(r".*/me\?p="))
    wait_ready(phone)
    expect(phone.get_by_role("textbox", name=words["field"])).to_be_visible(timeout=15_000)
    expect(phone.get_by_text(words["chips"], exact=True)).to_be_visible()
    pages.shot(phone, "theme-chips")
    no_horizontal_scroll(phone)
    fill(phone.get_by_role("textbox", name=words["field"]), "Des vélos-cargos pour les livraisons du quartier")
    phone.get_by_text("Mobilité douce", exact=True).click()
    phone.get_by_text("Mobilité douce", exact=True).scroll_into_view_if_needed()
    pages.shot(phone, "theme-chosen", full_page=False)
    phone.get_by_role("button", name=words["post"], exact=True).click()
    wait_ready(phone)
    expect(phone.get_by_text(words["posted"], exact=False).first).to_be_visible()
    conn = server_db(server)
    try:
        ideas = store.ideas_frame(conn, workshop.id)
        assert ideas["theme_id"].tolist() == [mobility] and ideas["chosen"].tolist() == [True]
    finally:
        conn.close()
    # No theme is fine too: the chips are never required.
    fill(phone.get_by_role("textbox", name=words["field"]), "Une cantine partagée entre PME")
    phone.get_by_role("button", name=words["post"], exact=True).click()
    wait_ready(phone)
    conn = server_db(server)
    try:
        assert len(store.ideas_frame(conn, workshop.id)) == 2
    finally:
        conn.close()
