"""From ideas to themes to votes to collectifs, in the browser: three participants post ideas,
the facilitator clusters and renames, the room votes, a collectif is created and joined; the
projector shows each step."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import fill, goto, new_workshop, server_db, wait_ready
from workshop import links, store

IDEAS = {
    "Ana": ["Partager nos compétences entre membres du réseau", "Skill sharing between members"],
    "Ben": ["Des vélos partagés pour les salariés", "Bike sharing for employees"],
    "Cleo": ["Créer un club d'investissement local", "Investment club to fund local projects"],
}
FIGURE_JSON = "() => JSON.stringify(Array.from(document.querySelectorAll('.js-plotly-plot')).map(p => p.data))"


def section(console, name: str) -> None:
    console.get_by_role("radiogroup", name="Rubrique").get_by_role("radio", name=name).click()
    wait_ready(console)


def test_ideas_to_collectifs(server, pages):
    workshop, token = new_workshop(server, title="Atelier Do")
    conn = server_db(server)
    store.set_round(conn, workshop.id, "ideas", is_open=True)
    store.update_workshop(conn, workshop.id, projector_view="ideas", vote_dots=3)
    tokens = {name: f"tok-do-{name.lower()}-0000000000000" for name in IDEAS}
    for name, tok in tokens.items():
        store.join(conn, workshop.code, name, token=tok)
    conn.close()

    wall = pages.new("projector", width=1920, height=1080)
    goto(wall, links.projector_url(workshop))
    phones = {}
    for name, tok in tokens.items():
        phone = pages.new(name, width=390, height=844)
        goto(phone, links.participant_url(workshop, tok))
        for text in IDEAS[name]:
            fill(phone.get_by_role("textbox", name="Publier une idée"), text)
            phone.get_by_role("button", name="Publier", exact=True).click()
            expect(phone.get_by_text("Idée publiée.")).to_be_visible()
            wait_ready(phone)
        phones[name] = phone
    expect(wall.locator(".note")).to_have_count(6, timeout=10_000)
    pages.shot(wall, "1-ideas-wall", full_page=False)

    console = pages.new("console", width=1440, height=900)
    goto(console, links.facilitator_url(workshop, token))
    section(console, "Thèmes")
    console.get_by_label("Nombre de thèmes (0 = automatique)").fill("3")
    console.get_by_label("Nombre de thèmes (0 = automatique)").press("Tab")
    wait_ready(console)
    console.get_by_role("button", name="Regrouper les idées en thèmes").click()
    wait_ready(console)
    conn = server_db(server)
    frame = store.themes_frame(conn, workshop.id)
    conn.close()
    assert len(frame) == 3 and frame["ideas"].tolist() == [2, 2, 2]
    bikes = int(frame[frame["label"].str.contains("vélo")]["id"].iloc[0])
    console.locator('[data-testid="stExpander"]', has_text=frame.set_index("id")["label"][bikes]).locator("summary").click()
    fill(console.locator(f".st-key-rn_{bikes} input"), "Mobilité douce")
    console.locator(f".st-key-rnb_{bikes} button").click()
    wait_ready(console)
    section(console, "Salle")
    console.get_by_role("radiogroup", name="Vue affichée au projecteur").get_by_role("radio", name="Thèmes").click()
    wait_ready(console)
    expect(wall.locator(".card h2", has_text="Mobilité douce")).to_be_visible(timeout=10_000)
    pages.shot(wall, "2-themes", full_page=False)

    console.locator(".st-key-open_vote button").click()
    wait_ready(console)
    console.get_by_role("radiogroup", name="Vue affichée au projecteur").get_by_role("radio", name="Vote").click()
    wait_ready(console)
    for name, phone in phones.items():
        goto(phone, links.participant_url(workshop, tokens[name]))  # the page follows the new round
        expect(phone.get_by_text("Répartissez vos 3 gommettes")).to_be_visible()
        box = phone.get_by_label("Mobilité douce")
        box.fill("3" if name != "Cleo" else "1")
        box.press("Tab")
        phone.get_by_role("button", name="Voter").click()
        expect(phone.get_by_text("Vote enregistré.")).to_be_visible()
    pages.shot(phones["Ana"], "3-vote-phone")
    wall.wait_for_function(f"() => ({FIGURE_JSON})().includes('Mobilité douce')", timeout=10_000)
    expect(wall.get_by_text("Classement")).to_be_visible()
    pages.shot(wall, "3-vote-ranking", full_page=False)
    conn = server_db(server)
    assert store.themes_frame(conn, workshop.id).set_index("id")["votes"][bikes] == 7
    conn.close()

    console.locator(".st-key-close_vote button").click()
    wait_ready(console)
    console.locator(".st-key-open_collectifs button").click()
    wait_ready(console)
    section(console, "Thèmes")
    console.locator('[data-testid="stExpander"]', has_text="Mobilité douce").locator("summary").click()
    console.locator(f".st-key-mk_{bikes} button").click()
    wait_ready(console)
    section(console, "Salle")
    console.get_by_role("radiogroup", name="Vue affichée au projecteur").get_by_role("radio", name="Collectifs").click()
    wait_ready(console)

    ben = phones["Ben"]
    goto(ben, links.participant_url(workshop, tokens["Ben"]))
    ben.get_by_role("button", name="Je rejoins").click()
    wait_ready(ben)
    expect(ben.get_by_text("Vous en êtes membre.")).to_be_visible()
    fill(ben.get_by_label("Proposer une prochaine étape"), "Essai de vélos partagés en janvier")
    ben.get_by_role("button", name="Enregistrer").click()
    expect(ben.get_by_text("Étape proposée.")).to_be_visible()
    pages.shot(ben, "4-collectif-phone")
    card = wall.locator(".card", has_text="Mobilité douce")
    expect(card).to_contain_text("Ben", timeout=10_000)
    expect(card).to_contain_text("Essai de vélos partagés en janvier")
    pages.shot(wall, "4-collectifs", full_page=False)

    # The same room in English: the participant switches language, the facilitator switches the
    # workshop's language and the wall follows.
    ben.get_by_text("English", exact=True).click()
    wait_ready(ben)
    expect(ben.get_by_text("You are a member.")).to_be_visible()
    expect(ben.get_by_label("Propose a next step")).to_be_visible()
    pages.shot(ben, "5-collectif-phone-en")
    conn = server_db(server)
    store.update_workshop(conn, workshop.id, language="en")
    conn.close()
    expect(wall.get_by_text("Join at")).to_be_visible(timeout=10_000)
    expect(wall.locator(".card", has_text="Mobilité douce")).to_contain_text("mobilises")
    pages.shot(wall, "5-collectifs-en", full_page=False)
