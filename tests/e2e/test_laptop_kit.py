"""The facilitator's kit in the browser: the poster downloaded from the console's Salle tab carries
the wall's QR (read back by zbarimg from the rendered page), and a template saved from Réglages
starts a new workshop from the home page."""

from __future__ import annotations

import re
import subprocess

from playwright.sync_api import expect

from tests.e2e.conftest import goto, new_workshop, server_db, wait_ready
from workshop import links, store


def test_poster_and_template_from_the_console(server, pages, tmp_path):
    w, token = new_workshop(server, title="Journée kit")
    conn = server_db(server)
    store.create_theme(conn, w.id, "Mobilité douce", renamed=True)
    store.plan_timers(conn, w.id, {"ideas": 15})
    conn.close()

    fac = pages.new("facilitator", width=1440, height=1000)
    goto(fac, f"{server.url}/console?w={w.code}&k={token}")
    expect(fac.get_by_text("À imprimer")).to_be_visible()
    pages.shot(fac, "salle-kit")
    with fac.expect_download() as download:
        fac.get_by_role("button", name="Affiche A4 (PDF)").click()
    poster = tmp_path / "poster.pdf"
    download.value.save_as(poster)
    subprocess.run(["pdftoppm", "-r", "100", "-png", str(poster), str(tmp_path / "poster")], check=True)
    (page,) = tmp_path.glob("poster*.png")
    decoded = subprocess.run(["zbarimg", "-q", "--raw", str(page)], capture_output=True, text=True).stdout.split()
    assert decoded == [links.join_url(w)]

    fac.get_by_role("radiogroup", name="Rubrique").get_by_role("radio", name="Réglages").click()
    wait_ready(fac)
    with fac.expect_download() as download:
        fac.get_by_role("button", name="Enregistrer comme modèle (fichier)").click()
    template = tmp_path / "modele.json"
    download.value.save_as(template)
    pages.shot(fac, "reglages-rehearsal-template")

    home = pages.new("facilitator-next-day", width=1000, height=1200)
    goto(home, server.url + "/")
    home.get_by_role("link", name="Créer un atelier").click()
    home.wait_for_url(re.compile(r".*/new\?lang=fr$"))
    home.get_by_label("Titre de l'atelier").fill("Journée kit, deuxième édition")
    home.get_by_label("Partir d'un modèle (fichier enregistré depuis la console, facultatif)").set_input_files(str(template))
    expect(home.get_by_text("modele.json")).to_be_visible()
    expect(home.get_by_text("Choisir un fichier")).to_be_visible()  # the page's language, not the browser's
    home.get_by_role("button", name="Créer l'atelier").click()
    home.wait_for_url(re.compile(r".*/console\?w="))
    wait_ready(home)
    expect(home.get_by_text("Atelier créé")).to_be_visible()
    pages.shot(home, "created-from-template")
    conn = server_db(server)
    try:
        made = next(x for x in store.workshops_list(conn) if x["title"] == "Journée kit, deuxième édition")
        assert store.themes_frame(conn, made["id"])["label"].tolist() == ["Mobilité douce"]
        assert store.rounds(conn, made["id"])["ideas"].planned_minutes == 15
    finally:
        conn.close()
