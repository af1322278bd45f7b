"""Hostile input: Markdown, HTML, Plotly pseudo-HTML and spreadsheet formulas typed by a
participant appear as literal text on the participant page, the console, the projector (ideas
wall and network hover) and in the exported files; nothing is interpreted."""

from __future__ import annotations

import io
import json
import time
import zipfile

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import fill, goto, new_workshop, run_async, server_db, wait_ready
from workshop import config, export, links, store

PAYLOADS = [
    "**gras** [lien](http://evil.example/a) ![img](http://evil.example/x.png)",
    "$x^2$ :red[rouge] :smile: # titre",
    "<script>window.__pwned = 1</script>",
    '<img src=x onerror="window.__pwned = 2">',
    '<a href="http://evil.example/b">clic</a> <span style="color:red">r</span> <b>b</b>',
    '=HYPERLINK("http://evil.example/c","x")',
    "@SUM(A1) +cmd|' /C calc'!A0",
    "**Gras** _ital_ WWW.evil.example Www.evil.example/x wWw.evil.example",
]
LABELS = ["<b>Zoé</b>", "=1+1", "[x](http://evil.example/d)", ":red[rouge] :material/warning:"]


def visible_text(locator) -> str:
    """What a person reads (the invisible word joiners that stop auto-linking removed)."""
    return locator.inner_text().replace("\u2060", "")


def no_injection(page) -> None:
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator('a[href*="evil.example"]').count() == 0
    assert page.locator('img[src="x"], img[src*="evil.example"]').count() == 0
    assert page.locator("main b, main span[style*='color:red']").filter(has_text="r").count() == 0
    assert page.locator("main em, main strong").filter(has_text="ital").count() == 0
    assert page.locator("main em, main strong").filter(has_text="Gras").count() == 0
    assert page.locator("main [data-testid='stIconMaterial']").filter(has_text="warning").count() == 0


def test_hostile_text_stays_text_everywhere(server, pages):
    workshop, token = new_workshop(server, title="Atelier piégé")
    conn = server_db(server)
    store.set_round(conn, workshop.id, "contacts", is_open=True)
    store.set_round(conn, workshop.id, "ideas", is_open=True)
    store.update_workshop(conn, workshop.id, projector_view="ideas")
    store.join(conn, workshop.code, "Mallory", token="tok-mallory-0000000000")
    conn.close()

    me = pages.new("participant", width=390, height=844)
    goto(me, links.participant_url(workshop, "tok-mallory-0000000000"))
    for text in PAYLOADS:
        fill(me.get_by_role("textbox", name="Publier une idée"), text)
        me.get_by_role("button", name="Publier", exact=True).click()
        expect(me.get_by_text("Idée publiée.")).to_be_visible()
        wait_ready(me)
    me.get_by_text("Mon réseau", exact=True).click()
    wait_ready(me)
    for label in LABELS:
        fill(me.get_by_label("Initiales ou pseudonyme"), label)
        me.get_by_test_id("stForm").get_by_text("Loisirs", exact=True).click()
        me.get_by_role("button", name="Ajouter", exact=True).click()
        expect(me.get_by_test_id("stAlert").filter(has_text="Ajouté")).to_be_visible()
        wait_ready(me)
        assert f"Ajouté : {label}" in visible_text(me.get_by_test_id("stAlert").filter(has_text="Ajouté").first)
    body = visible_text(me.locator("body"))
    for label in LABELS:
        assert label in body
    me.get_by_text("Idées", exact=True).click()
    wait_ready(me)
    body = visible_text(me.locator("body"))
    for text in PAYLOADS:
        assert text in body, text
    no_injection(me)
    pages.shot(me, "participant")

    wall = pages.new("projector", width=1920, height=1080)
    goto(wall, links.projector_url(workshop))
    expect(wall.locator(".note")).to_have_count(len(PAYLOADS))
    notes = " ".join(wall.locator(".note").all_inner_texts()).replace("\u2060", "")
    for text in PAYLOADS:
        assert text in notes, text
    no_injection(wall)
    pages.shot(wall, "projector-ideas", full_page=False)

    console = pages.new("console", width=1440, height=900)
    goto(console, links.facilitator_url(workshop, token))
    console.get_by_role("radiogroup", name="Rubrique").get_by_role("radio", name="Modération").click()
    wait_ready(console)
    body = visible_text(console.locator("body"))
    for text in PAYLOADS:
        assert text in body, text
    no_injection(console)
    pages.shot(console, "console")

    # Labels on (the facilitator told the room): the network's hover text stays literal too.
    conn = server_db(server)
    store.update_workshop(conn, workshop.id, show_labels=True, projector_view="network")
    conn.close()
    expect(wall.locator(".js-plotly-plot")).to_have_count(1, timeout=15_000)
    figure = wall.evaluate("() => JSON.stringify(document.querySelector('.js-plotly-plot').data)")
    assert "&lt;b&gt;Zoé&lt;/b&gt;" in figure and "<b>Zoé</b>" not in figure
    no_injection(wall)
    pages.shot(wall, "projector-network-labels", full_page=False)

    conn = server_db(server)
    files = {}
    with zipfile.ZipFile(io.BytesIO(export.bundle(conn, workshop.id, level="full"))) as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    conn.close()
    ideas_csv = files["ideas.csv"].decode()
    assert "'=HYPERLINK" in ideas_csv and "'@SUM(A1)" in ideas_csv
    assert "'=1+1" in files["nodes.csv"].decode()
    doc = json.loads(files["workshop.json"])
    assert sorted(i["text"] for i in doc["ideas"]) == sorted(PAYLOADS)  # JSON keeps the exact text


def test_an_oversized_websocket_message_is_refused_and_the_app_keeps_serving(server):
    """A frame of zeros deflates to almost nothing on the air and inflates on the server: above
    10 MB the transport refuses it while inflating, above 1 MB the app refuses it before parsing
    (both "message too big", 1009; with Streamlit's defaults both were inflated and parsed, 1002)."""
    import asyncio

    import websockets

    from workshop.stclient import Session

    async def close_code(size: int) -> int:
        ws = await websockets.connect(
            server.url.replace("http://", "ws://") + "/_stcore/stream",
            subprotocols=["streamlit", "PLACEHOLDER_AUTH_TOKEN"],
            compression="deflate",
            max_size=None,
            ping_interval=None,
            open_timeout=30,
        )
        await ws.send(b"\0" * size)
        try:
            await asyncio.wait_for(ws.recv(), 30)
        except websockets.ConnectionClosed as closed:
            return (closed.rcvd.code, closed.rcvd.reason) if closed.rcvd else (-1, "")
        return (0, "")

    async def still_serving() -> bool:
        async with Session(server.url) as session:
            run = await session.run(timeout=60)
        return run.status is not None

    assert run_async(close_code(12_000_000))[0] == 1009
    # Refused while inflating, at the browser's bound (before: inflated to 2 MB, then refused).
    code, reason = run_async(close_code(2_000_000))
    assert code == 1009 and f"limit of {config.ws_inbound_max_bytes()} bytes" in reason
    assert run_async(still_serving())


def test_past_the_connection_cap_a_phone_reads_a_clear_page_and_gets_in_once_it_frees(tmp_path):
    """A server capped at 20 connections (WORKSHOP_MAX_CONNECTIONS; by default the open-file limit
    less 200): 25 idle connections held by a guest, the next phone reads a French page that
    retries by itself (503, not a server out of file descriptors); once they close, it gets in."""
    import socket
    import urllib.error
    import urllib.request

    from scripts.stserver import Server

    srv = Server(tmp_path / "cap.db", env={"WORKSHOP_MAX_CONNECTIONS": "20"})
    srv.start()
    held = []
    try:
        for _ in range(25):
            held.append(socket.create_connection(("127.0.0.1", srv.port)))
        with pytest.raises(urllib.error.HTTPError) as full:
            urllib.request.urlopen(srv.url + "/", timeout=10)
        page = full.value.read().decode()
        assert full.value.code == 503 and full.value.headers["retry-after"] == "10"
        assert '<html lang="fr">' in page and "Le serveur est complet" in page and 'http-equiv="refresh"' in page
        for conn in held:
            conn.close()
        held.clear()
        for _ in range(50):  # the server notices the closed sockets within moments
            try:
                with urllib.request.urlopen(srv.url + "/", timeout=10) as answer:
                    assert answer.status == 200 and b'lang="fr"' in answer.read()
                break
            except urllib.error.HTTPError:
                time.sleep(0.1)
        else:
            pytest.fail("the server did not serve again once the connections closed")
    finally:
        for conn in held:
            conn.close()
        srv.stop()


def test_a_join_body_trickled_a_byte_at_a_time_is_cut_off_and_the_door_keeps_answering(server):
    """Slowloris on POST /join: 40 connections announce a 4 KB form and send one byte. Each is
    answered 408 and closed after the body timeout (10 s), and the join page answers meanwhile.
    Failing before: no timeout, every connection stayed open (1,100 exhausted a laptop's files)."""
    import socket
    import time
    import urllib.request
    from urllib.parse import urlsplit

    url = urlsplit(server.url)
    request = (
        f"POST /join HTTP/1.1\r\nHost: {url.netloc}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        "Content-Length: 4000\r\n\r\nc"
    ).encode()
    started = time.monotonic()
    slow = []
    for _ in range(40):
        s = socket.create_connection((url.hostname, url.port), timeout=30)
        s.sendall(request)
        slow.append(s)
    with urllib.request.urlopen(server.url + "/", timeout=10) as page:  # the door still answers
        assert page.status == 200
    answers = []
    for s in slow:
        received = b""
        while chunk := s.recv(4096):  # until the server closes the connection (a timeout fails)
            received += chunk
        answers.append(received.split(b"\r\n", 1)[0])
        s.close()
    elapsed = time.monotonic() - started
    assert set(answers) == {b"HTTP/1.1 408 Request Timeout"}, set(answers)
    assert 9 <= elapsed <= 25, elapsed
