"""Three contexts (console, projector, participant): the wall follows without reload, closing a
round makes the participant's form read-only, hiding an idea removes it from the wall."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import fill, goto, new_workshop, server_db, wait_ready
from workshop import config, links, store

WITHIN = (config.REFRESH_SECONDS + 1) * 1000  # one refresh interval plus 1 s
SWITCH_WITHIN = 3000  # a view switched from the console shows on the wall within 3 s (#31)


def proj_metric(page, name: str):
    return page.locator(f'[data-testid="proj-{name}"] .proj-metric')


def test_console_projector_participant(server, pages):
    workshop, token = new_workshop(server, title="Salle en direct")
    conn = server_db(server)
    for name in ("contacts", "ideas"):
        store.set_round(conn, workshop.id, name, is_open=True, minutes=10)
    participant = store.join(conn, workshop.code, "Noé", token="tok-noe-e2e-room-000000")
    conn.close()

    console = pages.new("console", width=1440, height=900)
    goto(console, links.facilitator_url(workshop, token))
    expect(console.get_by_text("Console de l'animateur")).to_be_visible()

    wall = pages.new("projector", width=1920, height=1080)
    goto(wall, links.projector_url(workshop))
    expect(wall.get_by_text(workshop.code)).to_be_visible()
    expect(proj_metric(wall, "participants")).to_have_text("1")
    expect(proj_metric(wall, "contacts")).to_have_text("0")
    expect(wall.locator(".proj-timer")).to_have_text(re.compile(r"^(09|10):\d\d$"))
    expect(wall.locator(".proj-round")).to_have_text("Manche en cours : Idées")  # the latest opened, labelled
    pages.shot(wall, "projector-start", full_page=False)

    me = pages.new("participant", width=390, height=844)
    goto(me, links.participant_url(workshop, "tok-noe-e2e-room-000000"))
    me.get_by_text("Mon réseau", exact=True).click()
    wait_ready(me)
    fill(me.get_by_label("Initiales ou pseudonyme"), "A. B.")
    me.get_by_test_id("stForm").get_by_text("Partenaires", exact=True).click()
    me.get_by_role("button", name="Ajouter", exact=True).click()
    expect(me.get_by_text("Ajouté : A. B.")).to_be_visible()
    # Without reload, within one refresh interval plus 1 s (the requirement).
    expect(proj_metric(wall, "contacts")).to_have_text("1", timeout=WITHIN)
    expect(wall.get_by_text("+1 en 2 min").first).to_be_visible()
    pages.shot(wall, "projector-after-contact", full_page=False)

    # The console switches the wall to the network's flows: no data version moves (every cached
    # view stays valid), and the wall follows within a refresh.
    conn = server_db(server)
    version = store.version(conn, workshop.id)
    store.update_workshop(conn, workshop.id, projector_view="network")
    store.update_view_settings(conn, workshop.id, net_view="flows")
    assert store.version(conn, workshop.id) == version
    conn.close()
    expect(wall.get_by_text("Flux marchands", exact=False).first).to_be_visible(timeout=SWITCH_WITHIN)

    # The facilitator closes the contacts round while the participant types: the page does not
    # redraw under their fingers, their submit is refused (their text stays, quoted), and the
    # page becomes read-only.
    fill(me.get_by_label("Initiales ou pseudonyme"), "C. D.")
    console.get_by_role("button", name="Fermer", exact=True).first.click()
    wait_ready(console)
    me.wait_for_timeout(7_000)  # more than one poll of the phone's boot script
    expect(me.get_by_label("Initiales ou pseudonyme")).to_have_value("C. D.")
    me.get_by_test_id("stForm").get_by_text("Famille", exact=True).click()
    me.get_by_role("button", name="Ajouter", exact=True).click()
    wait_ready(me)
    expect(me.get_by_text("La manche « Mon réseau » est fermée : rien n'a été enregistré.")).to_be_visible()
    expect(me.get_by_text("Votre saisie, non enregistrée : « C. D. »")).to_be_visible()
    goto(me, links.participant_url(workshop, "tok-noe-e2e-room-000000"))
    me.get_by_text("Mon réseau", exact=True).click()
    wait_ready(me)
    expect(me.get_by_text("consultation seulement")).to_be_visible()
    expect(me.get_by_label("Initiales ou pseudonyme")).to_have_count(0)
    pages.shot(me, "participant-read-only")

    # Ideas wall on the projector; hiding an idea removes it from the wall.
    conn = server_db(server)
    version = store.version(conn, workshop.id)
    conn.close()
    console.get_by_test_id("stButtonGroup").get_by_text("Mur d'idées", exact=True).click()
    wait_ready(console)
    # The wall follows the switch within a refresh, though no data version moved.
    expect(wall.get_by_text("Les idées apparaîtront ici.")).to_be_visible(timeout=SWITCH_WITHIN)
    conn = server_db(server)
    assert store.version_and_view(conn, workshop.id)[:2] == (version, "ideas")
    conn.close()
    me.get_by_text("Idées", exact=True).click()
    wait_ready(me)
    for text in ("Idée visible pour tous", "Idée à masquer"):
        fill(me.get_by_role("textbox", name="Publier une idée"), text)
        me.get_by_role("button", name="Publier", exact=True).click()
        expect(me.get_by_text("Idée publiée.")).to_be_visible()
        wait_ready(me)
    expect(wall.locator(".note", has_text="Idée à masquer")).to_be_visible(timeout=WITHIN)
    expect(wall.locator(".note.fresh").first).to_be_visible()
    pages.shot(wall, "projector-ideas", full_page=False)
    console.get_by_role("radiogroup", name="Rubrique").get_by_role("radio", name="Modération").click()
    wait_ready(console)
    conn = server_db(server)
    ideas = store.ideas_frame(conn, workshop.id)
    conn.close()
    idea_id = int(ideas[ideas["text"] == "Idée à masquer"]["id"].iloc[0])
    console.locator(f".st-key-hide_{idea_id} button").click()
    wait_ready(console)
    expect(wall.locator(".note", has_text="Idée à masquer")).to_have_count(0, timeout=WITHIN)
    expect(wall.locator(".note", has_text="Idée visible pour tous")).to_be_visible()
    pages.shot(console, "console-moderation")

    # The same wall at 1280x720 still shows code, QR and the notes.
    small = pages.new("projector-720", width=1280, height=720)
    goto(small, links.projector_url(workshop))
    expect(small.get_by_text(workshop.code)).to_be_visible()
    expect(small.get_by_role("img", name=re.compile("QR code pour rejoindre"))).to_be_visible()
    pages.shot(small, "projector-720", full_page=False)
    conn = server_db(server)
    assert store.counters(conn, workshop.id)["contacts"] == 1
    assert store.ideas_frame(conn, workshop.id, include_hidden=True).set_index("text")["hidden"]["Idée à masquer"]
    assert participant.display_name == "Noé"
    conn.close()


def test_blocked_participant_is_refused(server, pages):
    workshop, token = new_workshop(server)
    conn = server_db(server)
    store.set_round(conn, workshop.id, "contacts", is_open=True)
    p = store.join(conn, workshop.code, "Bloqué", token="tok-blocked-e2e-0000000")
    conn.close()
    console = pages.new("console")
    goto(console, links.facilitator_url(workshop, token))
    console.get_by_role("radiogroup", name="Rubrique").get_by_role("radio", name="Modération").click()
    wait_ready(console)
    console.get_by_role("button", name="Suspendre").click()
    wait_ready(console)
    me = pages.new("participant", width=390, height=844)
    goto(me, links.participant_url(workshop, "tok-blocked-e2e-0000000"))
    expect(me.get_by_text("L'animateur a suspendu votre participation.")).to_be_visible()
    assert p.id
