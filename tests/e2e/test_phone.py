"""A phone on the room's Wi-Fi, in Debian's Chromium: what it downloads (compressed, from the app's
own host only, no error), the page's language and the French names of its controls, 16 px
fields and 44 px taps on the core path, a new round shown without a tap, the dots left
following each tap, a French banner when the server goes away, and a QR that decodes to the
address phones can reach."""

from __future__ import annotations

import re
import subprocess
import urllib.parse

import pytest
from playwright.sync_api import expect

from scripts.stserver import Server
from scripts.wire import Recorder
from tests.e2e.conftest import ARTIFACTS, fill, goto, join_by_link, new_workshop, no_horizontal_scroll, server_db, wait_ready
from workshop import config, demo, links, store

CORE_TAPS = ["Mon réseau", "Idées", "Famille", "Clients", "Ajouter"]


def open_round(server, workshop, name: str) -> None:
    """The facilitator opens a round (straight in the server's database)."""
    conn = server_db(server)
    try:
        store.set_round(conn, workshop.id, name, is_open=True)
    finally:
        conn.close()


def test_join_is_compressed_from_one_host_in_french(server, pages):
    workshop, _ = new_workshop(server)
    open_round(server, workshop, "contacts")
    phone = pages.new("phone", width=390, height=844)
    rec = Recorder.attach(phone)
    join_by_link(phone, server, workshop.code, "Camille")
    phone.wait_for_timeout(500)
    host = urllib.parse.urlsplit(server.url).netloc
    assert rec.hosts() == {host}, rec.hosts()  # no font or icon from anyone else's host
    assert not rec.errors(), [f"{r.status} {r.url}" for r in rec.errors()]
    # Answered ones: a prefetch of the join page still in flight when the person joined is abandoned.
    scripts = [r for r in rec.requests.values() if r.url.endswith((".js", ".css")) and r.status]
    assert scripts and all(r.encoding in ("br", "gzip") for r in scripts), [r for r in scripts if not r.encoding]
    assert not [r for r in rec.requests.values() if "SyntaxHighlighter" in r.url or "MaterialSymbols" in r.url]

    assert phone.evaluate("document.documentElement.lang") == "fr"
    # French accessible names, Streamlit's own controls included.
    expect(phone.get_by_role("button", name="Ajouter", exact=True)).to_be_visible()
    phone.get_by_text("Plus de détails (facultatif)").click()
    wait_ready(phone)
    expect(phone.get_by_role("button", name="Augmenter")).to_be_visible()
    expect(phone.get_by_role("button", name="Diminuer")).to_be_visible()
    assert not phone.locator('[aria-label="Increment"], [aria-label="Decrement"], [aria-label="Open"]').count()
    # iPhones zoom into fields under 16 px; the core path's taps are at least 44 px tall.
    sizes = phone.evaluate(
        "[...document.querySelectorAll('input, textarea')].filter(e => e.offsetParent).map(e => getComputedStyle(e).fontSize)"
    )
    assert sizes and all(float(s.removesuffix("px")) >= 16 for s in sizes), sizes
    for name in CORE_TAPS:
        box = phone.get_by_text(name, exact=True).first.locator("xpath=ancestor-or-self::button[1]").bounding_box()
        assert box["height"] >= 44, (name, box)
    box = phone.get_by_label("Initiales ou pseudonyme").bounding_box()
    assert box["height"] >= 42, box  # the field itself, inside its 44 px frame
    pages.shot(phone, "phone-details")

    phone.get_by_role("radio", name="English").click()
    wait_ready(phone)
    phone.wait_for_function("document.documentElement?.lang === 'en'")  # null while the next page loads
    expect(phone.get_by_role("button", name="Add", exact=True)).to_be_visible()
    expect(phone.get_by_role("button", name="Increment")).to_be_visible()


def test_the_qr_opens_a_light_page_that_joins_in_the_chosen_language(server, pages):
    """The join page is plain HTML (no frontend to download); the personal page it leads to
    keeps the language chosen on it and shows the personal link to keep."""
    workshop, _ = new_workshop(server, title="Atelier du jeudi", question="Quels cas d'usage ?")
    open_round(server, workshop, "contacts")
    phone = pages.new("phone", width=390, height=844)
    rec = Recorder.attach(phone)
    goto(phone, links.join_url(workshop))
    phone.wait_for_timeout(300)
    assert phone.evaluate("document.documentElement.lang") == "fr"
    expect(phone.get_by_role("heading", name="Atelier du jeudi", level=1)).to_be_visible()
    # The page needs no script or style sheet of its own; once loaded it prefetches the frontend.
    loading = phone.evaluate("document.querySelectorAll('script[src], link[rel=stylesheet], link[rel=modulepreload]').length")
    assert loading == 0
    paths = {urllib.parse.urlsplit(r.url).path: r for r in rec.requests.values()}
    assert paths["/"].wire_bytes < 10_000
    assert all(path in ("/", "/favicon.png") or path.startswith("/static/") for path in paths), sorted(paths)
    assert not rec.errors(), [f"{r.status} {r.url}" for r in rec.errors()]
    box = phone.get_by_role("button", name="Rejoindre").bounding_box()
    assert box["height"] >= 44, box
    size = phone.get_by_label("Votre prénom ou pseudonyme").evaluate("e => getComputedStyle(e).fontSize")
    assert float(size.removesuffix("px")) >= 16, size
    no_horizontal_scroll(phone)
    pages.shot(phone, "join-plain")

    phone.get_by_role("link", name="English").click()
    phone.wait_for_function("document.documentElement?.lang === 'en'")  # null while the next page loads
    fill(phone.get_by_label("Your first name or a pseudonym"), "Inès")
    phone.wait_for_timeout(1000)  # typing: the prefetch lands meanwhile
    rec.mark()
    phone.get_by_role("button", name="Join").click()
    phone.wait_for_url(re.compile(r".*/me\?p="))
    wait_ready(phone)
    entry = [r for r in rec.requests.values() if re.search(r"/static/js/index\.\w+\.js$", r.url)]
    assert entry and all(r.from_cache for r in entry), entry  # the personal page opens from the cache
    expect(phone.get_by_text("Keep this link")).to_be_visible()
    assert phone.evaluate("document.documentElement.lang") == "en"
    assert "welcome" not in phone.url and "lang=" not in phone.url  # taken once, out of the link
    pages.shot(phone, "joined-in-english")


def test_an_idle_phone_follows_the_new_round_without_a_tap(server, pages):
    workshop, _ = new_workshop(server)
    open_round(server, workshop, "contacts")
    phone = pages.new("phone", width=390, height=844)
    join_by_link(phone, server, workshop.code, "Inès")
    expect(phone.get_by_label("Initiales ou pseudonyme")).to_be_visible()
    open_round(server, workshop, "ideas")
    # The boot script polls every 5 s; 15 s is the promise to the room.
    expect(phone.get_by_role("textbox", name="Publier une idée")).to_be_visible(timeout=15_000)
    pages.shot(phone, "followed-to-ideas")


def test_dots_left_follow_each_tap(server, pages):
    conn = server_db(server)
    room = demo.seed_demo(conn, participants=5, seed=2, public_base_url=server.url)
    store.update_workshop(conn, room.workshop.id, vote_dots=3)
    store.set_round(conn, room.workshop.id, "collectifs", is_open=False)
    store.set_round(conn, room.workshop.id, "vote", is_open=True)
    pid = store.participant_by_token(conn, room.participant_tokens[0])[1]
    store.cast_votes(conn, pid, {})
    conn.close()
    phone = pages.new("phone", width=390, height=844)
    goto(phone, links.participant_url(room.workshop, room.participant_tokens[0]))
    expect(phone.get_by_text("Gommettes restantes : 3")).to_be_visible()
    plus = phone.get_by_role("button", name="Augmenter").first
    plus.click()
    expect(phone.get_by_text("Gommettes restantes : 2")).to_be_visible()
    plus.click()
    plus.click()
    expect(phone.get_by_text("Gommettes restantes : 0")).to_be_visible()
    phone.get_by_role("button", name="Augmenter").nth(1).click()
    expect(phone.get_by_text("C'est 1 de trop")).to_be_visible()
    expect(phone.get_by_role("button", name="Voter")).to_be_disabled()
    phone.get_by_role("button", name="Diminuer").nth(1).click()
    expect(phone.get_by_role("button", name="Voter")).to_be_enabled()
    phone.get_by_role("button", name="Voter").click()
    expect(phone.get_by_text("Vote enregistré.")).to_be_visible()
    conn = server_db(server)
    assert sum(store.votes_of(conn, pid.id).values()) == 3
    conn.close()
    pages.shot(phone, "voted")


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)], ids=["1080p", "720p"])
def test_a_lost_server_shows_a_french_banner_and_the_page_comes_back(browser, tmp_path, pages, size):
    own = Server(tmp_path / "w.db", log=ARTIFACTS / f"server-offline-{size[1]}.log")
    own.start()
    try:
        workshop, _ = new_workshop(own)
        wall = pages.new("wall", width=size[0], height=size[1])
        goto(wall, links.projector_url(workshop))
        own.stop(kill=True)
        banner = wall.locator("#td-offline")
        expect(banner).to_contain_text("Connexion au serveur perdue", timeout=20_000)
        expect(banner).to_contain_text("l'écran revient tout seul")  # nothing typed to keep on a wall
        # Readable from the back, whole on the screen.
        box = banner.bounding_box()
        assert (
            box and box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= size[0] and box["y"] + box["height"] <= size[1]
        )
        # The banner sits outside the wall's scaled canvas: its CSS size is its size on the screen.
        smallest = banner.evaluate(
            "e => Math.min(...[e, ...e.querySelectorAll('*')].filter(n => n.textContent.trim())"
            ".map(n => parseFloat(getComputedStyle(n).fontSize)))"
        )
        assert smallest >= (24 if size[0] == 1920 else 18), smallest
        expect(wall.get_by_text("Are you connected to the internet?")).to_be_hidden()
        expect(wall.get_by_text("Connection error")).to_be_hidden()
        pages.shot(wall, "offline-banner", full_page=False)
        own.start(warm=False)
        expect(banner).to_be_hidden(timeout=40_000)
        expect(wall.get_by_text(workshop.code)).to_be_visible()
        pages.shot(wall, "back-online", full_page=False)
    finally:
        own.stop()


def test_the_projected_qr_opens_on_a_phone(browser, tmp_path, pages):
    """No public address configured: the projected QR carries the laptop's LAN address."""
    own = Server(tmp_path / "w.db", log=ARTIFACTS / "server-qr.log", env={"WORKSHOP_PUBLIC_URL": ""})
    own.env["WORKSHOP_PORT"] = str(own.port)  # as run.sh exports it
    own.start()
    try:
        conn = server_db(own)
        workshop, _ = store.create_workshop(conn, title="Atelier QR")
        conn.close()
        wall = pages.new("wall", width=1920, height=1080)
        goto(wall, f"{own.url}/projector?w={workshop.code}")
        qr = wall.get_by_role("img", name=re.compile("QR code pour rejoindre l'atelier"))
        expect(qr).to_be_visible()
        shot = tmp_path / "qr.png"
        qr.screenshot(path=str(shot))
        pages.shot(wall, "projector-qr", full_page=False)
        decoded = subprocess.run(["zbarimg", "--raw", "-q", str(shot)], capture_output=True, text=True, check=True).stdout.strip()
        parts = urllib.parse.urlsplit(decoded)
        assert parts.query == f"code={workshop.code}"
        lan = config.lan_address()
        assert lan, "this machine has no LAN address: the console must warn instead"
        assert parts.hostname == lan and parts.port == own.port and not links.is_loopback(decoded)
    finally:
        own.stop()


def test_typing_in_progress_is_never_lost_to_a_new_round(server, pages):
    """The page waits for the form to be sent before it follows the facilitator."""
    workshop, _ = new_workshop(server)
    open_round(server, workshop, "contacts")
    phone = pages.new("phone", width=390, height=844)
    join_by_link(phone, server, workshop.code, "Lou")
    phone.get_by_label("Initiales ou pseudonyme").press_sequentially("R. T.")
    open_round(server, workshop, "ideas")
    phone.wait_for_timeout(12_000)  # more than two polls
    expect(phone.get_by_label("Initiales ou pseudonyme")).to_have_value("R. T.")
    phone.get_by_test_id("stForm").get_by_text("Famille", exact=True).click()
    phone.get_by_role("button", name="Ajouter").click()
    expect(phone.get_by_text("Ajouté : R. T.")).to_be_visible()
    expect(phone.get_by_role("textbox", name="Publier une idée")).to_be_visible(timeout=15_000)
    conn = server_db(server)
    assert store.counters(conn, workshop.id)["contacts"] == 1
    conn.close()


def test_the_edit_picker_shows_a_long_name_whole_on_a_phone(server, pages):
    """ "Modifier / supprimer": the picker on its own line shows "Jean-Baptiste Martin (Anciens
    collègues)" whole at 390 px (beside the two buttons it read "Jean-Baptiste Ma…")."""
    workshop, _ = new_workshop(server)
    open_round(server, workshop, "contacts")
    conn = server_db(server)
    person = store.join(conn, workshop.code, "Camille", token="tok-camille-picker-0000")
    store.add_contact(conn, person, submission_id="long", label="Jean-Baptiste Martin", circle="former_colleagues")
    conn.close()
    phone = pages.new("picker", width=390, height=844)
    goto(phone, links.participant_url(workshop, "tok-camille-picker-0000"))
    phone.get_by_text("Mon réseau", exact=True).click()
    wait_ready(phone)
    shown = phone.get_by_role("combobox", name="Modifier / supprimer")
    expect(shown).to_have_value("Jean-Baptiste Martin (Anciens collègues)")
    assert shown.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), "the name is cut"
    assert shown.get_attribute("placeholder") == "Choisir…"  # not Streamlit's "Choose an option"
    no_horizontal_scroll(phone)
    shown.scroll_into_view_if_needed()
    pages.shot(phone, "picker-long-name", full_page=False)
