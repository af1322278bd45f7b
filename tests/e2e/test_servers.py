"""Two app servers behind the project's Caddy proxy, sharing a real PostgreSQL database, in
Debian's Chromium: a participant on server A, the wall and the console on server B; the write
made on A shows on B's wall without a reload; the QR and an export download work; then server A
is killed (SIGKILL) and the participant's page carries on through the proxy on server B."""

from __future__ import annotations

import hashlib
import hmac
import io
import os
import re
import zipfile

import pytest
from playwright.sync_api import expect

from scripts.servers import AFFINITY_COOKIE, Cluster
from scripts.stserver import free_port
from tests.e2e.conftest import ARTIFACTS, fill, goto, wait_ready
from tests.pgdb import TEMPLATE, copied_database
from workshop import config, export, links, store
from workshop import db as dbmod


@pytest.fixture(scope="module")
def cluster(pg_server):
    with copied_database(pg_server, f"e2e_cluster_{os.getpid()}", template=TEMPLATE) as url:
        port = free_port()
        c = Cluster(
            url, servers=2, port=port, address="127.0.0.1", public_url=f"http://127.0.0.1:{port}", log_dir=ARTIFACTS / "cluster"
        )
        c.start()
        try:
            yield c
        finally:
            c.stop()


def affinity(server) -> str:
    """The cookie value Caddy's `lb_policy cookie` gives a browser it sends to this server
    (HMAC-SHA256 of the upstream's address, empty secret)."""
    return hmac.new(b"", f"127.0.0.1:{server.port}".encode(), hashlib.sha256).hexdigest()


def on_server(pages, label: str, cluster, server, **size):
    """A browser whose affinity cookie sends it to `server`."""
    page = pages.new(label, **size)
    page.context.add_cookies([{"name": AFFINITY_COOKIE, "value": affinity(server), "url": cluster.url}])
    return page


def served_by(page, cluster) -> str:
    return next(c["value"] for c in page.context.cookies(cluster.url) if c["name"] == AFFINITY_COOKIE)


def metric(page, name: str):
    return page.get_by_test_id(f"proj-{name}").locator(".proj-metric")


def test_a_write_on_one_server_shows_on_the_wall_of_the_other_then_survives_a_killed_server(cluster, pages):
    a, b = cluster.servers
    conn = dbmod.open_db(cluster.database)
    try:
        workshop, token = store.create_workshop(conn, title="Forum à deux serveurs", public_base_url=cluster.url)
        store.set_round(conn, workshop.id, "contacts", is_open=True)
    finally:
        conn.close()

    wall = on_server(pages, "wall", cluster, b, width=1920, height=1080)
    goto(wall, links.projector_url(workshop))
    expect(metric(wall, "contacts")).to_have_text("0")
    qr = wall.get_by_role("img", name=re.compile(workshop.code))
    expect(qr).to_be_visible()
    assert qr.get_attribute("src").startswith("data:image/svg+xml")  # no media file tied to one server
    assert served_by(wall, cluster) == affinity(b)

    me = on_server(pages, "participant", cluster, a, width=390, height=844)
    goto(me, links.join_url(workshop))
    fill(me.get_by_label("Votre prénom ou pseudonyme"), "Noor")
    me.get_by_role("button", name="Rejoindre").click()
    me.wait_for_url(re.compile(r".*/me\?p="))
    wait_ready(me)
    assert served_by(me, cluster) == affinity(a)
    fill(me.get_by_label("Initiales ou pseudonyme"), "J. K.")
    me.get_by_test_id("stForm").get_by_text("Anciens collègues", exact=True).click()
    me.get_by_role("button", name="Ajouter").click()
    wait_ready(me)
    expect(me.get_by_text("Ajouté : J. K.")).to_be_visible()
    # Written through server A, seen on server B's wall at its next refresh: no reload.
    expect(metric(wall, "contacts")).to_have_text("1", timeout=(config.REFRESH_SECONDS + 5) * 1000)
    pages.shot(wall, "wall-on-b", full_page=False)

    # The console on B: the export is built and downloaded from the server holding the session.
    console = on_server(pages, "console", cluster, b)
    goto(console, links.facilitator_url(workshop, token))
    console.get_by_role("radiogroup", name="Rubrique").get_by_role("radio", name="Export").click()
    wait_ready(console)
    console.get_by_role("button", name="Préparer l'archive").click()
    with console.expect_download(timeout=60_000) as info:
        console.get_by_role("button", name="Télécharger l'archive").click()
    with zipfile.ZipFile(io.BytesIO(open(info.value.path(), "rb").read())) as zf:
        assert set(zf.namelist()) == set(export.MEMBERS)
        assert "J. K." in zf.read("workshop.json").decode()

    # Server A dies without a goodbye: the participant's page reconnects through the proxy to B,
    # reopens their personal link by itself, and their next contact lands.
    a.stop(kill=True)
    expect(me.get_by_label("Initiales ou pseudonyme")).to_be_visible(timeout=30_000)
    wait_ready(me)
    fill(me.get_by_label("Initiales ou pseudonyme"), "L. M.")
    me.get_by_test_id("stForm").get_by_text("Anciens collègues", exact=True).click()
    me.get_by_role("button", name="Ajouter").click()
    wait_ready(me)
    expect(me.get_by_text("Ajouté : L. M.")).to_be_visible(timeout=30_000)
    assert served_by(me, cluster) == affinity(b)
    pages.shot(me, "participant-after-failover")
    expect(metric(wall, "contacts")).to_have_text("2", timeout=(config.REFRESH_SECONDS + 5) * 1000)
    conn = dbmod.connect(cluster.database)
    try:
        assert sorted(store.contacts_frame(conn, workshop.id)["label"]) == ["J. K.", "L. M."]
    finally:
        conn.close()
    a.start()  # the module's other tests (and the fixture's stop) find both servers
