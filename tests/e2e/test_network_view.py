"""The demo room on the wall: the network is drawn, the console's colour mode and flow filter
change it, and no contact label reaches the projector (DOM or figure JSON) while labels are off."""

from __future__ import annotations

import io
import json
import zipfile

from playwright.sync_api import expect

from tests.e2e.conftest import goto, server_db, wait_ready
from workshop import demo, export, links, store

FIGURE_JSON = "() => JSON.stringify(Array.from(document.querySelectorAll('.js-plotly-plot')).map(p => p.data))"


def legend(page) -> set[str]:
    return set(page.locator(".legendtext").all_text_contents())


def test_network_on_the_wall(server, pages):
    conn = server_db(server)
    result = demo.seed_demo(conn, participants=25, seed=5, public_base_url=server.url)
    wid = result.workshop.id
    store.update_workshop(conn, wid, projector_view="network")
    names = set(store.participants_frame(conn, wid)["display_name"])  # participants' own names may show
    labels = [lab for lab in store.contacts_frame(conn, wid)["label"] if len(lab) > 6 and lab not in names]
    conn.close()
    workshop = result.workshop

    wall = pages.new("projector", width=1920, height=1080)
    goto(wall, links.projector_url(workshop))
    expect(wall.locator(".js-plotly-plot")).to_have_count(1)
    expect(wall.locator(".legendtext").first).to_be_visible()
    assert {"Participant", "Famille et proches"} <= legend(wall)  # circles by family, 7 entries at most
    wall.wait_for_timeout(500)
    pages.shot(wall, "network-by-circle", full_page=False)
    page_text = wall.locator("body").inner_text()
    figure = wall.evaluate(FIGURE_JSON)
    assert figure.count('"x"') or len(figure) > 1000
    for label in labels:
        assert label not in page_text and json.dumps(label)[1:-1] not in figure, label

    console = pages.new("console", width=1440, height=900)
    goto(console, links.facilitator_url(workshop, result.facilitator_token))
    console.get_by_role("radiogroup", name="Rubrique").get_by_role("radio", name="Réseau").click()
    wait_ready(console)
    expect(console.locator(".js-plotly-plot").first).to_be_visible()
    console.get_by_label("Couleur selon").click()
    console.get_by_role("option", name="Communauté").click()
    wait_ready(console)
    expect(wall.locator(".legendtext").get_by_text("Communauté 1", exact=True)).to_be_visible(timeout=10_000)
    pages.shot(wall, "network-by-community", full_page=False)
    before = wall.evaluate(FIGURE_JSON)

    console.get_by_role("button", name="Filtres (appliqués au projecteur)").click()
    console.get_by_label("Flux").click()
    console.get_by_role("option", name="Finance").click()
    console.keyboard.press("Escape")
    console.get_by_role("button", name="Enregistrer").click()
    wait_ready(console)
    wall.wait_for_function(f"() => ({FIGURE_JSON})() !== {json.dumps(before)}", timeout=10_000)
    after = wall.evaluate(FIGURE_JSON)
    assert len(after) < len(before)  # fewer ties drawn once only money-carrying ones remain
    pages.shot(wall, "network-money-only", full_page=False)
    pages.shot(console, "console-network")

    # The console's export builds the bundle on demand and downloads every member.
    console.get_by_role("radiogroup", name="Rubrique").get_by_role("radio", name="Export").click()
    wait_ready(console)
    console.get_by_role("button", name="Préparer l'archive").click()
    with console.expect_download(timeout=60_000) as info:
        console.get_by_role("button", name="Télécharger l'archive").click()
    data = open(info.value.path(), "rb").read()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert set(zf.namelist()) == set(export.MEMBERS)
