"""Participants on a phone: join in two inputs, three contacts in three inputs each, two ideas,
reload and find everything; no horizontal scroll at 390x844; English complete."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import fill, goto, join_by_link, new_workshop, no_horizontal_scroll, server_db, wait_ready
from workshop import store

PHONE = {"width": 390, "height": 844}


def open_rounds(server, workshop, *names):
    conn = server_db(server)
    for name in names:
        store.set_round(conn, workshop.id, name, is_open=True)
    conn.close()


def test_participant_flow_on_a_phone(server, pages):
    workshop, _ = new_workshop(server, title="Atelier téléphone")
    open_rounds(server, workshop, "contacts", "ideas")
    me = pages.new("phone", **PHONE)

    # Join: the link carries the code; one field (the name) and one tap.
    goto(me, f"{server.url}/?code={workshop.code}")
    expect(me.get_by_role("textbox")).to_have_count(1)
    no_horizontal_scroll(me)
    pages.shot(me, "join")
    fill(me.get_by_label("Votre prénom ou pseudonyme"), "Inès")
    me.get_by_role("button", name="Rejoindre").click()
    me.wait_for_url(re.compile(r".*/me\?p="))
    wait_ready(me)
    personal_url = me.url
    expect(me.get_by_text("Gardez ce lien")).to_be_visible()
    me.get_by_text("Mon réseau", exact=True).click()
    wait_ready(me)
    pages.shot(me, "joined")

    # Three contacts, three inputs each: label, circle chip, Ajouter.
    for label, circle in (("M. D.", "Famille"), ("J-P R.", "Clients"), ("Zoé", "Association")):
        label_box = me.get_by_label("Initiales ou pseudonyme")
        fill(label_box, label)
        me.get_by_test_id("stForm").get_by_text(circle, exact=True).click()
        me.get_by_role("button", name="Ajouter", exact=True).click()
        wait_ready(me)
        expect(me.get_by_text(f"Ajouté : {label}")).to_be_visible()
        # Cleared and ready for the next one.
        expect(me.get_by_label("Initiales ou pseudonyme")).to_have_value("")
    expect(me.get_by_text("3 contacts, 3 cercles, 0 dormants")).to_be_visible()
    expect(me.get_by_label("Initiales ou pseudonyme")).to_be_focused()
    no_horizontal_scroll(me)
    pages.shot(me, "three-contacts")

    # Optional details are one tap away.
    me.get_by_text("Plus de détails (facultatif)").click()
    expect(me.get_by_text("Lien dormant (pas de contact depuis des années)")).to_be_visible()
    no_horizontal_scroll(me)
    pages.shot(me, "details-open")

    me.get_by_text("Idées", exact=True).click()
    wait_ready(me)
    for text in ("Une bourse de compétences", "Un annuaire des anciens collègues"):
        fill(me.get_by_role("textbox", name="Publier une idée"), text)
        me.get_by_role("button", name="Publier", exact=True).click()
        wait_ready(me)
        expect(me.get_by_text("Idée publiée.")).to_be_visible()
    no_horizontal_scroll(me)
    pages.shot(me, "two-ideas")

    # Reload the personal link: everything is still there (from the database, not the tab).
    goto(me, personal_url)
    me.get_by_text("Idées", exact=True).click()
    wait_ready(me)
    for text in ("Une bourse de compétences", "Un annuaire des anciens collègues"):
        expect(me.locator("body")).to_contain_text(f"• {text}")
    me.get_by_text("Mon réseau", exact=True).click()
    wait_ready(me)
    for label, circle in (("M. D.", "Famille"), ("J-P R.", "Clients"), ("Zoé", "Association")):
        expect(me.locator("body")).to_contain_text(f"{label} · {circle}")
    pages.shot(me, "after-reload")

    conn = server_db(server)
    assert store.counters(conn, workshop.id)["contacts"] == 3
    assert store.counters(conn, workshop.id)["ideas"] == 2
    conn.close()

    # Deleting asks once more, by name, before anything goes.
    me.get_by_role("button", name="Supprimer", exact=True).click()  # next to the picker
    wait_ready(me)
    expect(me.get_by_text("Supprimer « Zoé (Association) » ?")).to_be_visible()
    no_horizontal_scroll(me)
    pages.shot(me, "delete-asks")
    conn = server_db(server)
    assert store.counters(conn, workshop.id)["contacts"] == 3
    conn.close()
    me.locator(".st-key-del_yes_contact").get_by_role("button", name="Supprimer", exact=True).click()
    wait_ready(me)
    expect(me.get_by_text("2 contacts, 2 cercles, 0 dormants")).to_be_visible()
    conn = server_db(server)
    assert store.counters(conn, workshop.id)["contacts"] == 2
    conn.close()

    # English is complete on the same page.
    me.get_by_text("English", exact=True).click()
    wait_ready(me)
    expect(me.get_by_text("My contacts", exact=True)).to_be_visible()
    expect(me.get_by_text("2 contacts, 2 circles, 0 dormant")).to_be_visible()
    expect(me.get_by_role("button", name="Add", exact=True)).to_be_visible()
    no_horizontal_scroll(me)
    pages.shot(me, "english")


def phone_in_map_round(server, pages, name: str):
    """A new workshop with its contacts round open, and a phone joined to it as `name`."""
    workshop, _ = new_workshop(server)
    open_rounds(server, workshop, "contacts")
    me = pages.new("phone", **PHONE)
    join_by_link(me, server, workshop.code, name)
    return workshop, me


def test_double_click_adds_one_contact(server, pages):
    workshop, me = phone_in_map_round(server, pages, "Double")
    fill(me.get_by_label("Initiales ou pseudonyme"), "D. C.")
    me.get_by_test_id("stForm").get_by_text("Loisirs", exact=True).click()
    me.get_by_role("button", name="Ajouter", exact=True).dblclick()
    wait_ready(me)
    me.wait_for_timeout(1000)
    wait_ready(me)
    conn = server_db(server)
    assert store.counters(conn, workshop.id)["contacts"] == 1
    conn.close()


def test_closed_round_and_stale_link(server, pages):
    workshop, _ = new_workshop(server)
    me = pages.new("phone", **PHONE)
    join_by_link(me, server, workshop.code, "Léon")
    expect(me.get_by_text("n'est pas encore ouverte")).to_be_visible()
    expect(me.get_by_label("Initiales ou pseudonyme")).to_have_count(0)
    pages.shot(me, "round-not-open")
    goto(me, f"{server.url}/me?p=made-up-token")
    expect(me.get_by_text("Ce lien personnel n'est pas (ou plus) valide")).to_be_visible()
    goto(me, f"{server.url}/?code=ZZZZZZ")
    expect(me.get_by_text("Aucun atelier ne porte ce code")).to_be_visible()
    pages.shot(me, "wrong-code")


def test_edit_a_contact_in_its_dialog(server, pages):
    """The pencil opens the contact in a dialog (from inside the section's fragment); saving
    changes the row in the database and the list, without a manual reload."""
    workshop, me = phone_in_map_round(server, pages, "Edith")
    fill(me.get_by_label("Initiales ou pseudonyme"), "A. B.")
    me.get_by_test_id("stForm").get_by_text("Loisirs", exact=True).click()
    me.get_by_role("button", name="Ajouter", exact=True).click()
    wait_ready(me)
    expect(me.get_by_text("Ajouté : A. B.")).to_be_visible()
    # Dismissed with Escape: it stays closed through the next entry.
    me.get_by_role("button", name="Modifier", exact=True).click()
    expect(me.get_by_role("dialog")).to_be_visible()
    me.keyboard.press("Escape")
    expect(me.get_by_role("dialog")).to_have_count(0)
    fill(me.get_by_label("Initiales ou pseudonyme"), "C. D.")
    me.get_by_test_id("stForm").get_by_text("Loisirs", exact=True).click()
    me.get_by_role("button", name="Ajouter", exact=True).click()
    wait_ready(me)
    expect(me.get_by_text("Ajouté : C. D.")).to_be_visible()
    expect(me.get_by_role("dialog")).to_have_count(0)
    # The picker keeps its pick (A. B.): rename it in the dialog.
    me.get_by_role("button", name="Modifier", exact=True).click()
    dialog = me.get_by_role("dialog")
    expect(dialog).to_be_visible()
    fill(dialog.get_by_label("Initiales ou pseudonyme"), "C. Dé")
    dialog.get_by_text("Famille", exact=True).click()
    pages.shot(me, "edit-dialog")
    dialog.get_by_role("button", name="Enregistrer").click()
    wait_ready(me)
    expect(me.get_by_role("dialog")).to_have_count(0)
    expect(me.locator("body")).to_contain_text("C. Dé · Famille")
    conn = server_db(server)
    rows = list(conn.query("SELECT label, circle FROM contacts WHERE workshop_id = ? ORDER BY label", [workshop.id]))
    conn.close()
    assert rows == [{"label": "C. D.", "circle": "hobby"}, {"label": "C. Dé", "circle": "family"}]
