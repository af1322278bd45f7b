""" "Qui se connaît ?" on a phone (390×844), in French and in English: one contact at a time, the
others as chips; 10 contacts and 12 ties among them in at most 25 inputs; a reload mid-census
resumes at the next card; a tie corrected from the contact's dialog."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import goto, new_workshop, no_horizontal_scroll, server_db, wait_ready
from workshop import security, store

WORDS = {
    "fr": {
        "start": "Commencer",
        "knows": "{label} connaît…",
        "next": "Suivant",
        "done": "Merci !",
        "edit": "Modifier",
        "save": "Enregistrer",
        "title": "Qui se connaît ?",
        "later": "Plus tard",
    },
    "en": {
        "start": "Start",
        "knows": "{label} knows…",
        "next": "Next",
        "done": "Thank you!",
        "edit": "Edit",
        "save": "Save",
        "title": "Who knows whom?",
        "later": "Later",
    },
}
LABELS = ["Ana", "Ben", "Cléo", "Dan", "Eva", "Fred", "Gaëlle", "Hugo", "Inès", "Jules"]
# 12 pairs who know each other (indices into LABELS).
TIES = [(0, 1), (0, 2), (1, 2), (2, 3), (3, 4), (4, 5), (5, 6), (6, 7), (7, 8), (8, 9), (0, 9), (2, 7)]


def phone_with_contacts(server, pages, language: str, labels: list[str]):
    workshop, _ = new_workshop(server, language=language)
    token = security.new_token()
    conn = server_db(server)
    try:
        store.set_round(conn, workshop.id, "contacts", is_open=True)
        person = store.join(conn, workshop.code, "Lou", token=token)
        ids = [
            store.add_contact(conn, person, submission_id=f"{workshop.code}-c{i}", label=lab, circle="hobby")
            for i, lab in enumerate(labels)
        ]
    finally:
        conn.close()
    phone = pages.new(f"census-{language}", width=390, height=844)
    goto(phone, f"{server.url}/me?p={token}")
    return phone, person, ids, token


def card_title(phone, words, label):
    return phone.get_by_text(words["knows"].format(label=label), exact=True)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_ten_contacts_and_twelve_ties_in_at_most_25_inputs(server, pages, language):
    words = WORDS[language]
    phone, person, ids, token = phone_with_contacts(server, pages, language, LABELS)
    expect(phone.get_by_role("heading", name=words["title"])).to_be_visible(timeout=15_000)
    inputs = 0
    phone.get_by_role("button", name=words["start"]).click()
    inputs += 1
    wait_ready(phone)
    for i, label in enumerate(LABELS[:-1]):
        expect(card_title(phone, words, label)).to_be_visible()
        form = phone.get_by_test_id("stForm")
        if i == 0:
            no_horizontal_scroll(phone)
            pages.shot(phone, "census-first-card")
        for a, b in TIES:
            if a == i:
                form.get_by_role("button", name=LABELS[b], exact=True).click()
                inputs += 1
        form.get_by_role("button", name=words["next"]).click()
        inputs += 1
        wait_ready(phone)
        if i == 3:  # a lost connection or a reload: the census goes on at the next card
            goto(phone, f"{server.url}/me?p={token}")
    expect(phone.get_by_text(words["done"], exact=False)).to_be_visible()
    pages.shot(phone, "census-done")
    assert inputs <= 25, inputs
    print(f"census input count ({language}): {inputs} for 10 contacts and {len(TIES)} ties")
    conn = server_db(server)
    try:
        stored = set(store.ties_of(conn, person.id))
    finally:
        conn.close()
    assert stored == {tuple(sorted((ids[a], ids[b]))) for a, b in TIES}


def test_a_tie_corrected_from_the_contacts_dialog(server, pages):
    words = WORDS["fr"]
    phone, person, ids, _ = phone_with_contacts(server, pages, "fr", LABELS[:4])
    conn = server_db(server)
    try:
        store.record_ties(conn, person, ids[0], knows=[ids[1]], shown=ids[1:], submission_id=f"{person.id}-first")
    finally:
        conn.close()
    goto(phone, phone.url)
    # Begun already: the next card is on screen, and "Plus tard" puts it off.
    expect(card_title(phone, words, "Ben")).to_be_visible(timeout=15_000)
    phone.get_by_role("button", name=words["later"]).click()
    wait_ready(phone)
    expect(phone.get_by_role("button", name=words["start"])).to_be_visible()
    # Ana's dialog: Ben ticked; untick Ben, tick Dan.
    phone.get_by_label("Modifier / supprimer").click()
    phone.get_by_role("option", name="Ana (Loisirs)").click()
    phone.get_by_role("button", name=words["edit"]).click()
    dialog = phone.get_by_role("dialog")
    expect(dialog.get_by_text("Connaît, parmi vos contacts")).to_be_visible()
    dialog.get_by_role("button", name="Ben", exact=True).click()
    dialog.get_by_role("button", name="Dan", exact=True).click()
    pages.shot(phone, "census-dialog", full_page=False)
    dialog.get_by_role("button", name=words["save"]).click()
    wait_ready(phone)
    expect(phone.get_by_role("dialog")).to_have_count(0)
    conn = server_db(server)
    try:
        assert store.ties_of(conn, person.id) == [(ids[0], ids[3])]
    finally:
        conn.close()
