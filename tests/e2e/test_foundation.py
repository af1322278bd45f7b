"""Foundation: a facilitator creates a workshop, a participant joins with the code and adds a
contact and an idea, the console shows the counts without a manual reload."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import fill, goto, new_workshop, wait_ready


def metric(page, label: str):
    label_el = page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    return page.get_by_test_id("stMetric").filter(has=label_el).get_by_test_id("stMetricValue")


def test_create_join_contribute_and_console_follows(server, pages):
    fac = pages.new("facilitator")
    goto(fac, server.url + "/")
    # Creating is the front door's plain form (/new), in the home page's language.
    fac.get_by_role("link", name="Créer un atelier").click()
    fac.wait_for_url(re.compile(r".*/new\?lang=fr$"))
    expect(fac.locator("html")).to_have_attribute("lang", "fr")
    fac.get_by_label("Titre de l'atelier").fill("Atelier E2E")
    expect(fac.get_by_label("Question posée à la salle")).to_have_value("Quels cas d'usage pour notre entreprise diffuse ?")
    pages.shot(fac, "creation-form")
    fac.get_by_role("button", name="Créer l'atelier").click()
    fac.wait_for_url(re.compile(r".*/console\?w="))
    wait_ready(fac)
    expect(fac.get_by_text("Atelier créé")).to_be_visible()
    link = fac.locator(".td-copy-url").first.inner_text().strip()
    assert "/console?w=" in link and "&k=" in link
    code = re.search(r"w=([A-Z0-9]+)", link).group(1)
    expect(fac).not_to_have_url(re.compile("created="))  # taken once: a reload shows no banner
    pages.shot(fac, "created")

    goto(fac, link)
    expect(fac.get_by_text("Console de l'animateur")).to_be_visible()
    fac.get_by_role("button", name="Ouvrir").nth(0).click()  # contacts round
    wait_ready(fac)
    fac.get_by_role("button", name="Ouvrir").nth(0).click()  # ideas round (now the first closed one)
    wait_ready(fac)
    expect(fac.get_by_role("button", name="Fermer", exact=True)).to_have_count(2)
    pages.shot(fac, "console-rounds-open")

    me = pages.new("participant", width=390, height=844)
    goto(me, server.url + "/")
    fill(me.get_by_label("Code de l'atelier"), code.lower())
    fill(me.get_by_label("Votre prénom ou pseudonyme"), "Camille")
    me.get_by_role("button", name="Rejoindre").click()
    me.wait_for_url(re.compile(r".*/me\?p="))
    wait_ready(me)
    expect(me.get_by_text("Bonjour Camille")).to_be_visible()
    pages.shot(me, "joined")
    # The page follows the facilitator's latest round (ideas); go back to the network.
    expect(me.get_by_role("textbox", name="Publier une idée")).to_be_visible()
    me.get_by_text("Mon réseau", exact=True).click()
    wait_ready(me)

    fill(me.get_by_label("Initiales ou pseudonyme"), "M. D.")
    me.get_by_test_id("stForm").get_by_text("Anciens collègues", exact=True).click()
    me.get_by_role("button", name="Ajouter").click()
    wait_ready(me)
    expect(me.get_by_text("Ajouté : M. D.")).to_be_visible()
    expect(me.get_by_text("1 contact, 1 cercle, 0 dormants")).to_be_visible()

    me.get_by_text("Idées", exact=True).click()
    wait_ready(me)
    fill(me.get_by_role("textbox", name="Publier une idée"), "Une bourse de compétences entre membres")
    me.get_by_role("button", name="Publier", exact=True).click()
    wait_ready(me)
    expect(me.get_by_text("Idée publiée.")).to_be_visible()
    pages.shot(me, "idea-posted")

    # The console refreshes by itself (fragment run_every), no reload.
    expect(metric(fac, "Participants")).to_have_text("1", timeout=10_000)
    expect(metric(fac, "Contacts")).to_have_text("1", timeout=10_000)
    expect(metric(fac, "Idées")).to_have_text("1", timeout=10_000)
    pages.shot(fac, "console-counts")


def test_the_file_drop_speaks_the_pages_language_and_switches_back(server, pages):
    """Streamlit writes its file drop in English, the size limit split over two pieces of text
    ("1MB per file", " • JSON"): on a French page all of it is French, and English again after
    a switch (before: "Upload" and "1MB per file • JSON" on the French page)."""
    workshop, token = new_workshop(server, title="Dépôt")
    fac = pages.new("drop")
    goto(fac, f"{server.url}/console?w={workshop.code}&k={token}")
    fac.get_by_role("radiogroup", name="Rubrique").get_by_role("radio", name="Export").click()
    wait_ready(fac)
    drop = fac.get_by_test_id("stFileUploaderDropzone")
    expect(drop).to_contain_text("25 Mo au plus par fichier • ZIP")
    expect(drop).to_contain_text("Choisir un fichier")
    assert "Upload" not in drop.inner_text().replace("upload\n", "") and "per file" not in drop.inner_text()
    fac.get_by_role("radio", name="English").first.click()
    wait_ready(fac)
    drop = fac.get_by_test_id("stFileUploaderDropzone")
    expect(drop).to_contain_text("25MB per file • ZIP")
    expect(drop).to_contain_text("Upload")
