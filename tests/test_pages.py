"""AppTest: app.py and every page run without exception; the participant and console pages
driven by widget keys, checked against the database (never against the widget)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from workshop import db as dbmod
from workshop import store
from workshop.errors import NotFound

TIMEOUT = 60
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def seeded(app_env):
    conn = dbmod.connect(app_env)
    workshop, token = store.create_workshop(conn, title="Atelier AppTest", question="Quels cas d'usage ?")
    store.set_round(conn, workshop.id, "contacts", is_open=True)
    store.set_round(conn, workshop.id, "ideas", is_open=True)
    store.join(conn, workshop.code, "Alice", token="tok-alice-apptest-0000")
    conn.close()
    return {"path": app_env, "workshop": workshop, "token": token, "ptoken": "tok-alice-apptest-0000"}


def _app(**params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    for k, v in params.items():
        at.query_params[k] = v
    return at


def _count(path, sql):
    conn = dbmod.connect(path)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def test_home_runs(seeded):
    at = _app().run()
    assert not at.exception
    assert any("Rejoindre" in b.label for b in at.button)


def test_home_with_code_joins_in_two_inputs(seeded):
    at = _app(code=seeded["workshop"].code).run()
    assert not at.exception
    assert len(at.text_input) == 1  # only the name: the code came with the link
    at.text_input(key="home_name").input("Bruno")
    at.button[0].click().run()
    assert not at.exception
    assert _count(seeded["path"], "SELECT count(*) FROM participants WHERE display_name = 'Bruno'") == 1


def test_home_wrong_code_shows_clear_message(seeded):
    at = _app(code="ZZZZZZ").run()
    assert not at.exception
    assert "Aucun atelier" in at.error[0].value


def test_home_empty_name_message_and_nothing_written(seeded):
    at = _app(code=seeded["workshop"].code).run()
    at.text_input(key="home_name").input("   ")
    at.button[0].click().run()
    assert "vide" in at.error[0].value
    assert _count(seeded["path"], "SELECT count(*) FROM participants") == 1


def test_participant_page_runs(seeded):
    at = _app(p=seeded["ptoken"]).switch_page("pages/participate.py").run()
    assert not at.exception
    header = at.get("html")[0].proto.body
    assert "Bonjour Alice" in header and "Atelier AppTest" in header
    assert 'data-td-lang="fr"' in header  # the page's language, for <html lang> (boot script)


@pytest.mark.parametrize(
    "kind, table, add",
    [
        ("contact", "contacts", lambda c, me, n: store.add_contact(c, me, submission_id=f"s-{n}", label=n, circle="family")),
        ("idea", "ideas", lambda c, me, n: store.add_idea(c, me, submission_id=f"s-{n}", text=n)),
    ],
)
def test_deleting_asks_once_more_by_name(seeded, kind, table, add):
    conn = dbmod.connect(seeded["path"])
    alice = store.participant_by_token(conn, seeded["ptoken"])[1]
    keep, drop = add(conn, alice, "Garder"), add(conn, alice, "Jeter")
    conn.close()
    at = _app(p=seeded["ptoken"]).switch_page("pages/participate.py").run()
    at.segmented_control(key="me_section").set_value("contacts" if kind == "contact" else "ideas").run()
    at.selectbox(key=f"pick_{kind}").set_value(drop).run()
    at.button(key=f"del_{kind}").click().run()
    assert any("Supprimer « Jeter" in m.value for m in at.markdown)
    assert _count(seeded["path"], f"SELECT count(*) FROM {table}") == 2  # nothing deleted on the first tap
    at.button(key=f"del_no_{kind}").click().run()
    assert not any("Supprimer « Jeter" in m.value for m in at.markdown)
    at.button(key=f"del_{kind}").click().run()
    at.button(key=f"del_yes_{kind}").click().run()
    assert not at.exception
    assert _count(seeded["path"], f"SELECT count(*) FROM {table} WHERE id = {drop}") == 0
    assert _count(seeded["path"], f"SELECT count(*) FROM {table} WHERE id = {keep}") == 1
    assert any(s.value.startswith(("Supprimé", "Idée retirée")) for s in at.success)


def test_delete_my_data_lives_under_my_place(seeded):
    at = _app(p=seeded["ptoken"]).switch_page("pages/participate.py").run()
    at.segmented_control(key="me_section").set_value("contacts").run()
    assert not any(e.label == "Effacer toutes mes données" for e in at.toggle)
    at.segmented_control(key="me_section").set_value("place").run()
    assert any(e.label == "Effacer toutes mes données" for e in at.toggle)
    at.toggle(key="me_delete_open").set_value(True).run()
    at.checkbox(key="me_delete_confirm").check().run()
    at.button(key="me_delete_btn").click().run()
    assert not at.exception
    assert _count(seeded["path"], "SELECT count(*) FROM participants WHERE display_name = 'Alice'") == 0


def test_participant_stale_link(seeded):
    at = _app(p="not-a-real-token").switch_page("pages/participate.py").run()
    assert not at.exception
    assert "lien personnel" in at.error[0].value


def test_probing_codes_from_one_address_is_slowed_then_says_so(seeded, monkeypatch):
    """Codes can be probed without a key (the wall needs none): past 60 unknown codes from one
    address in 10 minutes, the page says to wait and reads nothing more. Failing before: every
    unknown code read the database and answered, ~100 a second."""
    from workshop import security
    from workshop.ui import gate

    monkeypatch.setattr(security, "code_probe_throttle", security.Throttle(limit=3, window=600.0))
    monkeypatch.setattr(gate, "client_key", lambda: "203.0.113.9")  # a guest on the Wi-Fi
    reads = []
    real = store.workshop_by_code
    monkeypatch.setattr(store, "workshop_by_code", lambda db, code: reads.append(code) or real(db, code))
    said = []
    for n in range(5):
        at = _app(w=f"ZZZZ{n:02d}").switch_page("pages/projector.py").run()
        said.append(at.error[0].value)
    assert said[:3] == ["Atelier introuvable. Ouvrez l'écran depuis la console."] * 3
    assert all(s.startswith("Beaucoup de codes inconnus essayés depuis cette adresse") for s in said[3:])
    assert len(reads) == 3  # the refused ones read nothing
    at = _app(w=seeded["workshop"].code).switch_page("pages/projector.py").run()
    assert at.error[0].value.startswith("Beaucoup de codes")  # the same address waits, whatever the code


def test_projector_page_shows_the_room_its_code_and_its_counters(seeded):
    at = _app(w=seeded["workshop"].code).switch_page("pages/projector.py").run()
    assert not at.exception
    shown = " ".join(e.proto.body for e in at.get("html"))
    code = seeded["workshop"].code
    assert '<h1 class="proj-title">Atelier AppTest</h1>' in shown and f'<p class="proj-code">{code}</p>' in shown
    assert "Manche en cours : Idées" in shown and f"QR code pour rejoindre l&#x27;atelier {code}" in shown
    participants = '<div data-testid="proj-participants"><div class="proj-metric">1</div>'
    assert participants in shown and '<div data-testid="proj-ideas"><div class="proj-metric">0</div>' in shown


@pytest.mark.parametrize("view", ["counters", "ideas", "map", "story"])
def test_projector_views_draw_from_readings_cached_per_version(app_env, view, monkeypatch):
    """Every view runs on the wall's cached readings (ui.per_version, ui.room_at): a second run
    at the same version draws the same, and a write (a new data version) shows at the next run.
    That a reading runs once per version is test_a_per_version_reading_runs_once_per_version…"""
    from workshop import demo
    from workshop import wall as walls

    monkeypatch.setattr(walls, "rotation_slot", lambda now: 0)  # the first page: the newest ideas

    conn = dbmod.connect(app_env)
    made = demo.seed_demo(conn, participants=6, seed=5)
    store.update_workshop(conn, made.workshop.id, projector_view=view)
    conn.close()
    first = _app(w=made.workshop.code).switch_page("pages/projector.py").run()
    assert not first.exception
    shown = " ".join(e.proto.body for e in first.get("html"))
    again = _app(w=made.workshop.code).switch_page("pages/projector.py").run()
    assert not again.exception and " ".join(e.proto.body for e in again.get("html")) == shown
    if view == "ideas":
        conn = dbmod.connect(app_env)
        author = store.participant_by_token(conn, made.participant_tokens[0])[1]
        store.add_idea(conn, author, submission_id="wall-new", text="Une idée toute neuve pour le mur")
        conn.close()
        later = _app(w=made.workshop.code).switch_page("pages/projector.py").run()
        assert "Une idée toute neuve pour le mur" in " ".join(e.proto.body for e in later.get("html"))


def test_a_per_version_reading_runs_once_per_version_on_its_database(app_env):
    from workshop import ui

    conn = dbmod.connect(app_env)
    workshop, _ = store.create_workshop(conn, title="Cache")
    conn.close()
    calls = []

    @ui.per_version()
    def title_of(db, workshop_id: int, suffix: str) -> str:
        calls.append(workshop_id)
        return store.get_workshop(db, workshop_id).title + suffix

    assert title_of(workshop.id, 1, "!") == "Cache!" and title_of(workshop.id, 1, "!") == "Cache!"
    assert calls == [workshop.id]
    assert title_of(workshop.id, 2, "!") == "Cache!" and title_of(workshop.id, 2, "?") == "Cache?"
    assert calls == [workshop.id] * 3


def test_projector_counters_say_what_comes_before_anything_arrives(app_env):
    conn = dbmod.connect(app_env)
    workshop, _ = store.create_workshop(conn, title="Salle vide")
    conn.close()

    def latest_block() -> str:
        at = _app(w=workshop.code).switch_page("pages/projector.py").run()
        assert not at.exception
        return next(e.proto.body for e in at.get("html") if "wall-h2" in e.proto.body)

    empty = latest_block()
    assert "Les premiers contacts ajoutés apparaîtront ici." in empty and "sans contribution" not in empty
    conn = dbmod.connect(app_env)
    store.join(conn, workshop.code, "Alice", token="tok-alice-apptest-0001")
    conn.close()
    assert "1 sans contribution" in latest_block()


def test_projector_unknown_code(seeded):
    at = _app(w="ZZZZZZ").switch_page("pages/projector.py").run()
    assert not at.exception and at.error


def test_console_requires_token(seeded):
    at = _app(w=seeded["workshop"].code, k="wrong").switch_page("pages/console.py").run()
    assert not at.exception
    assert "Accès refusé" in at.error[0].value
    assert not at.metric


@pytest.mark.parametrize("section", ["room", "moderation", "network", "themes", "collectifs", "settings", "export"])
def test_console_sections_run(seeded, section):
    at = _app(w=seeded["workshop"].code, k=seeded["token"]).switch_page("pages/console.py").run()
    assert not at.exception
    at.segmented_control(key="con_section").set_value(section).run()
    assert not at.exception, at.exception


def test_participant_adds_contact_by_widget_keys(seeded):
    at = _app(p=seeded["ptoken"]).switch_page("pages/participate.py").run()
    at.segmented_control(key="me_section").set_value("contacts").run()
    label = next(w for w in at.text_input if w.key.endswith("_label"))
    label.input("J. R.")
    next(w for w in at.button_group if w.key.endswith("_circle")).set_value("clients")
    next(b for b in at.button if b.label == "Ajouter").click().run()
    assert not at.exception
    assert any("Ajouté" in s.value for s in at.success)
    assert _count(seeded["path"], "SELECT count(*) FROM contacts WHERE label = 'J. R.' AND circle = 'clients'") == 1
    # The form was rotated: its fields are empty again.
    assert next(w for w in at.text_input if w.key.endswith("_label")).value == ""


def test_crafted_widget_state_cannot_touch_another_participants_contact(seeded):
    """Bob's page, with its picker state forged to Alice's contact id: refused, nothing deleted."""
    conn = dbmod.connect(seeded["path"])
    alice = store.participant_by_token(conn, seeded["ptoken"])[1]
    theirs = store.add_contact(conn, alice, submission_id="alice-own", label="Secret d'Alice", circle="family")
    bob = store.join(conn, seeded["workshop"].code, "Bob", token="tok-bob-apptest-000000")
    mine = store.add_contact(conn, bob, submission_id="bob-own", label="De Bob", circle="family")
    conn.close()
    at = _app(p="tok-bob-apptest-000000").switch_page("pages/participate.py").run()
    at.segmented_control(key="me_section").set_value("contacts").run()
    assert at.selectbox(key="pick_contact").value == mine
    # Forged state: ask the page to edit Alice's contact. The page only ever looks in Bob's own rows.
    at.session_state["me_editing"] = ("contact", theirs)
    at.run()
    assert not at.exception
    assert "me_editing" not in at.session_state
    assert not any(w.value == "Secret d'Alice" for w in at.text_input)
    # The delete path goes through the store, which names the owner in its WHERE clause.
    conn = dbmod.connect(seeded["path"])
    with pytest.raises(NotFound):
        store.delete_contact(conn, bob, theirs)
    conn.close()
    assert _count(seeded["path"], f"SELECT count(*) FROM contacts WHERE id = {theirs}") == 1
    # And a personal link from another workshop opens nothing of this one.
    conn = dbmod.connect(seeded["path"])
    other, _ = store.create_workshop(conn, title="Autre")
    store.join(conn, other.code, "Eve", token="tok-eve-apptest-0000000")
    conn.close()
    at = _app(p="tok-eve-apptest-0000000").switch_page("pages/participate.py").run()
    assert "Secret" not in str([m.value for m in at.markdown])


def test_console_opens_a_round_by_widget_key(seeded):
    at = _app(w=seeded["workshop"].code, k=seeded["token"]).switch_page("pages/console.py").run()
    at.number_input(key="timer_vote").set_value(5)
    at.button(key="open_vote").click().run()
    assert not at.exception
    conn = dbmod.connect(seeded["path"])
    vote = store.rounds(conn, seeded["workshop"].id)["vote"]
    conn.close()
    assert vote.is_open and vote.ends_at is not None


def test_console_settings_are_saved_and_a_refusal_keeps_the_workshop_as_it_was(seeded):
    at = _app(w=seeded["workshop"].code, k=seeded["token"]).switch_page("pages/console.py").run()
    at.segmented_control(key="con_section").set_value("settings").run()
    at.text_input(key="set_title").input("Atelier renommé")
    at.checkbox(key="set_anon").check()
    next(b for b in at.button if b.label == "Enregistrer").click().run()
    assert not at.exception
    conn = dbmod.connect(seeded["path"])
    saved = store.get_workshop(conn, seeded["workshop"].id)
    conn.close()
    assert (saved.title, saved.anonymous) == ("Atelier renommé", True)
    assert [s.value for s in at.success] == ["Réglages enregistrés\\."]  # escaped Markdown
    at.text_input(key="set_url").input("javascript:alert(1)")
    next(b for b in at.button if b.label == "Enregistrer").click().run()
    conn = dbmod.connect(seeded["path"])
    kept = store.get_workshop(conn, seeded["workshop"].id)
    conn.close()
    assert kept.public_base_url == saved.public_base_url and at.error and not at.success


@pytest.mark.parametrize("section", ["network", "themes", "collectifs", "export"])
def test_console_sections_with_the_demo_room(app_env, section):
    from workshop import demo

    conn = dbmod.connect(app_env)
    result = demo.seed_demo(conn, participants=12, seed=4)
    conn.close()
    at = _app(w=result.workshop.code, k=result.facilitator_token).switch_page("pages/console.py").run()
    at.segmented_control(key="con_section").set_value(section).run()
    assert not at.exception, at.exception
    if section == "network":
        assert at.dataframe  # findings tables drawn


def test_console_shows_before_after_for_a_series(app_env):
    from workshop import demo, export

    conn = dbmod.connect(app_env)
    first = demo.seed_demo(conn, participants=6, seed=8, with_themes=False)
    second, token = export.import_bundle(conn, export.bundle(conn, first.workshop.id), previous_id=first.workshop.id)
    store.set_round(conn, second.id, "contacts", is_open=True)
    newcomer = store.join(conn, second.code, "Nouvelle Venue", token="tok-newcomer-0000000000")
    store.add_contact(conn, newcomer, submission_id="nv-1", label="Quelqu'un de neuf", circle="hobby")
    conn.close()
    at = _app(w=second.code, k=token).switch_page("pages/console.py").run()
    at.segmented_control(key="con_section").set_value("export").run()
    assert not at.exception
    values = {m.label: m.value for m in at.metric}
    assert values["Nouveaux participants"] == "1" and values["Nouveaux contacts"] == "1"


def test_joining_too_often_from_one_address_is_slowed_with_a_message(seeded, monkeypatch):
    from workshop import security

    monkeypatch.setattr(security, "join_throttle", security.Throttle(limit=1, window=600.0))
    at = _app(code=seeded["workshop"].code).run()
    at.text_input(key="home_name").input("Premier")
    at.button[0].click().run()
    at = _app(code=seeded["workshop"].code).run()
    at.text_input(key="home_name").input("Second")
    at.button[0].click().run()
    assert not at.exception
    assert any("Beaucoup de demandes" in e.value for e in at.error)
    assert _count(seeded["path"], "SELECT count(*) FROM participants WHERE display_name = 'Second'") == 0


def test_a_paste_over_the_limit_is_cut_and_kept_never_emptied(seeded):
    at = _app(p=seeded["ptoken"]).switch_page("pages/participate.py").run()
    at.segmented_control(key="me_section").set_value("ideas").run()
    box = next(w for w in at.text_area if w.key.endswith("_text"))
    pasted = "Une très longue idée collée. " * 400  # 11,600 characters
    box.input(pasted)
    next(b for b in at.button if b.label == "Publier").click().run()
    assert not at.exception
    kept = next(w for w in at.text_area if w.key.endswith("_text"))
    assert kept.value == pasted[:280]
    assert any("coupé à 280" in w.value for w in at.warning)
    assert _count(seeded["path"], "SELECT count(*) FROM ideas") == 0  # re-read first, then publish
    next(b for b in at.button if b.label == "Publier").click().run()
    assert _count(seeded["path"], "SELECT count(*) FROM ideas") == 1


def test_a_suspended_participant_can_still_erase_their_data(seeded):
    conn = dbmod.connect(seeded["path"])
    alice = store.participant_by_token(conn, seeded["ptoken"])[1]
    store.add_contact(conn, alice, submission_id="s-1", label="Tante Berthe", circle="family")
    store.set_blocked(conn, seeded["workshop"].id, alice.id, blocked=True)
    conn.close()
    at = _app(p=seeded["ptoken"]).switch_page("pages/participate.py").run()
    assert not at.exception and "suspendu" in at.error[0].value.casefold()
    at.toggle(key="me_delete_open").set_value(True).run()
    at.checkbox(key="me_delete_confirm").check().run()
    at.button(key="me_delete_btn").click().run()
    assert not at.exception
    assert _count(seeded["path"], "SELECT count(*) FROM participants WHERE display_name = 'Alice'") == 0
    assert _count(seeded["path"], "SELECT count(*) FROM contacts") == 0


def test_identical_names_are_confirmed_in_one_decision(seeded):
    conn = dbmod.connect(seeded["path"])
    wid = seeded["workshop"].id
    for n, name in enumerate(["Bruno", "Chloé", "Dani"]):
        person = store.join(conn, seeded["workshop"].code, name, token=f"tok-same-{n}-00000000000")
        store.add_contact(conn, person, submission_id=f"same-{n}", label="Jean Martin", circle="clients")
    conn.close()
    at = _app(w=seeded["workshop"].code, k=seeded["token"]).switch_page("pages/console.py").run()
    at.segmented_control(key="con_section").set_value("network").run()
    assert not at.exception
    assert any("Décisions à prendre : 1, dont noms identiques : 1" in m.value for m in at.markdown)
    assert any("« Jean Martin » cité par 3 participants : Bruno, Chloé, Dani" in m.value.replace("\\", "") for m in at.markdown)
    next(b for b in at.button if b.label == "Confirmer les 3").click().run()
    assert not at.exception
    assert _count(seeded["path"], f"SELECT count(*) FROM merges WHERE workshop_id = {wid} AND status = 'confirmed'") == 2
    assert any(c.value == "Aucune proposition de fusion." for c in at.caption)


def test_console_rehearsal_fills_and_removes_by_widget_keys(seeded):
    at = _app(w=seeded["workshop"].code, k=seeded["token"]).switch_page("pages/console.py").run()
    at.segmented_control(key="con_section").set_value("settings").run()
    at.number_input(key="reh_size").set_value(6)
    at.button(key="reh_fill").click().run()
    assert not at.exception
    assert _count(seeded["path"], "SELECT count(*) FROM participants WHERE rehearsal = 1") == 6
    assert any("6 participants fictifs ajoutés" in s.value for s in at.success)
    at.segmented_control(key="con_section").set_value("moderation").run()
    assert sum("répétition" in m.value for m in at.markdown) == 6  # marked in the participants' list
    at.segmented_control(key="con_section").set_value("settings").run()
    assert "6 participants fictifs" in at.button(key="reh_remove").label
    at.button(key="reh_remove").click().run()
    assert not at.exception
    assert _count(seeded["path"], "SELECT count(*) FROM participants WHERE rehearsal = 1") == 0
    assert _count(seeded["path"], "SELECT count(*) FROM participants") == 1  # Alice stays


def test_console_starts_a_workshop_from_this_one_with_its_timers(seeded):
    conn = dbmod.connect(seeded["path"])
    store.plan_timers(conn, seeded["workshop"].id, {"vote": 7})
    store.create_theme(conn, seeded["workshop"].id, "Mobilité", renamed=True)
    conn.close()
    at = _app(w=seeded["workshop"].code, k=seeded["token"]).switch_page("pages/console.py").run()
    assert at.number_input(key="timer_vote").value == 7  # the planned timer is proposed
    at.segmented_control(key="con_section").set_value("settings").run()
    at.button(key="tpl_new").click().run()
    assert not at.exception
    assert any("créé" in s.value for s in at.success)
    assert _count(seeded["path"], "SELECT count(*) FROM workshops") == 2
    assert _count(seeded["path"], "SELECT count(*) FROM themes WHERE label = 'Mobilité'") == 2
    assert _count(seeded["path"], "SELECT count(*) FROM rounds WHERE name = 'vote' AND planned_minutes = 7") == 2


def test_console_offers_the_laptops_addresses_and_saves_the_one_picked(seeded, monkeypatch):
    from tests.test_addresses import LINUX_WITH_BRIDGES
    from workshop import addresses

    monkeypatch.setenv("WORKSHOP_PORT", "8501")
    monkeypatch.setenv("WORKSHOP_PUBLIC_URL", "http://192.168.50.1:8501")  # what the QR says now
    monkeypatch.setattr(addresses, "local_interfaces", lambda: addresses.rank(LINUX_WITH_BRIDGES))
    from workshop import ui

    ui._candidates.clear()  # read again from the patched list (cached 30 s in the app)
    at = _app(w=seeded["workshop"].code, k=seeded["token"]).switch_page("pages/console.py").run()
    picker = at.selectbox(key="con_address")
    assert picker.options[1:3] == ["10.42.7.15 — Wi-Fi", "10.42.7.16 — réseau"]  # Wi-Fi, then the cable
    assert picker.options[0] == "http://192.168.50.1:8501 — adresse actuelle" and len(picker.options) == 1 + 6
    assert "VPN" in picker.options[3]
    picker.set_value("http://10.42.7.16:8501").run()
    assert not at.exception
    conn = dbmod.connect(seeded["path"])
    assert store.get_workshop(conn, seeded["workshop"].id).public_base_url == "http://10.42.7.16:8501"
    conn.close()
    assert "http://10.42.7.16:8501/?code=" in " ".join(h.proto.body for h in at.get("html"))  # the QR's link follows
    ui._candidates.clear()


def test_console_names_the_days_themes_and_a_bad_list_stays_to_correct(seeded):
    at = _app(w=seeded["workshop"].code, k=seeded["token"]).switch_page("pages/console.py").run()
    at.segmented_control(key="con_section").set_value("themes").run()
    at.text_area(key="day_themes_text").input("Mobilité\n" + "x" * 300)
    at.button[[b.label for b in at.button].index("Ajouter ces thèmes")].click().run()
    assert any("trop long" in e.value for e in at.error)
    assert at.text_area(key="day_themes_text").value.startswith("Mobilité")  # kept to correct
    assert _count(seeded["path"], "SELECT count(*) FROM themes") == 0  # all or nothing
    at.text_area(key="day_themes_text").input("Mobilité\nAlimentation\n\nmobilité")
    at.button[[b.label for b in at.button].index("Ajouter ces thèmes")].click().run()
    assert not at.exception and any("2 thèmes ajoutés" in s.value for s in at.success)
    assert _count(seeded["path"], "SELECT count(*) FROM themes WHERE renamed = 1") == 2
    assert at.text_area(key="day_themes_text").value == ""


def test_phone_offers_the_named_themes_as_optional_chips(seeded):
    from workshop import ui

    conn = dbmod.connect(seeded["path"])
    mobility, _ = store.name_themes(conn, seeded["workshop"].id, ["Mobilité", "Alimentation"])
    conn.close()
    ui.named_themes.clear()
    at = _app(p=seeded["ptoken"]).switch_page("pages/participate.py").run()
    at.segmented_control(key="me_section").set_value("ideas").run()
    chips = next(w for w in at.button_group if w.key.endswith("_theme"))
    assert [o.content for o in chips.proto.options] == ["Mobilité", "Alimentation"] and chips.value is None
    next(w for w in at.text_area if w.key.endswith("_text")).input("Des vélos-cargos pour les livraisons")
    chips.set_value(mobility)
    next(b for b in at.button if b.label == "Publier").click().run()
    assert not at.exception
    assert _count(seeded["path"], f"SELECT count(*) FROM idea_themes WHERE theme_id = {mobility} AND chosen = 1") == 1
    next(w for w in at.text_area if w.key.endswith("_text")).input("Une idée sans thème")
    next(b for b in at.button if b.label == "Publier").click().run()  # the chips are never required
    assert _count(seeded["path"], "SELECT count(*) FROM ideas") == 2


def test_my_place_compares_the_groups_my_contacts_form_with_the_room(seeded):
    """Alice's four contacts: two pairs who know each other (2 groups); Bob's three all know each
    other (1 group). Her page says so in plain words, above the room's median (1.5)."""
    conn = dbmod.open_db(seeded["path"])
    try:
        alice = store.participant_by_token(conn, seeded["ptoken"])[1]
        bob = store.join(conn, seeded["workshop"].code, "Bob", token="tok-bob-apptest-000000")
        a = [store.add_contact(conn, alice, submission_id=f"pa{i}", label=f"A{i}", circle="hobby") for i in range(4)]
        b = [store.add_contact(conn, bob, submission_id=f"pb{i}", label=f"B{i}", circle="hobby") for i in range(3)]
        store.record_ties(conn, alice, a[0], knows=[a[1]], shown=a[1:], submission_id="ta0")
        store.record_ties(conn, alice, a[2], knows=[a[3]], shown=[a[3]], submission_id="ta2")
        store.record_ties(conn, bob, b[0], knows=b[1:], shown=b[1:], submission_id="tb0")
        store.record_ties(conn, bob, b[1], knows=[b[2]], shown=[b[2]], submission_id="tb1")
    finally:
        conn.close()
    at = _app(p=seeded["ptoken"]).switch_page("pages/participate.py").run()
    at.segmented_control(key="me_section").set_value("place").run()
    at.button(key="me_place_btn").click().run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "Vos 4 contacts forment 2 groupes qui ne se connaissent pas entre eux." in text
    assert "la moitié des participants en relient 1,5 ou moins" in text
    assert any("Vous reliez plus de groupes que la plupart" in c.value for c in at.caption)


def test_console_sets_the_join_limits_and_removes_a_wave_of_arrivals(seeded):
    conn = dbmod.open_db(seeded["path"])
    try:
        for i in range(12):
            store.join(conn, seeded["workshop"].code, f"Bot{i}", token=f"tok-wave-{i:03d}-padpadpad")
    finally:
        conn.close()
    at = _app(w=seeded["workshop"].code, k=seeded["token"]).switch_page("pages/console.py").run()
    assert any("Arrivées cette minute : 13" in c.value for c in at.caption)  # Alice and the wave
    at.toggle(key="con_join_limits").set_value(True).run()
    at.number_input(key="lim_max_participants").set_value(40).run()
    at.number_input(key="lim_joins_per_minute").set_value(20).run()
    conn = dbmod.open_db(seeded["path"])
    settings = store.get_workshop(conn, seeded["workshop"].id).settings
    assert (settings["max_participants"], settings["joins_per_minute"]) == (40, 20)
    conn.close()
    at.number_input(key="flood_minutes").set_value(2).run()
    assert at.button(key="flood_remove").disabled
    at.checkbox(key="flood_confirm").check().run()
    at.button(key="flood_remove").click().run()
    assert not at.exception
    assert _count(seeded["path"], "SELECT count(*) FROM participants") == 0
    assert any("13 participants retirés" in s.value for s in at.success)


def test_the_console_sizes_the_network_by_effective_size_and_survives_any_stored_mode(seeded):
    """Every size mode of network.SIZE_MODES is offered (the console kept its own list, and a
    workshop whose setting named another mode raised ValueError)."""
    conn = dbmod.open_db(seeded["path"])
    try:
        store.update_view_settings(conn, seeded["workshop"].id, size_by="effective_size")
    finally:
        conn.close()
    at = _app(w=seeded["workshop"].code, k=seeded["token"]).switch_page("pages/console.py").run()
    at.segmented_control(key="con_section").set_value("network").run()
    assert not at.exception, at.exception
    assert at.selectbox(key="net_size").value == "effective_size"
    assert list(at.selectbox(key="net_size").options) == ["Degré", "Intermédiarité", "Taille effective (groupes reliés)"]


def test_console_has_no_traps_the_wall_opens_in_a_new_tab_and_a_section_stays_open(seeded):
    """The projector's button is a link (a new tab, the console kept; a page link replaced the
    console on Ctrl+click), sections and the wall's view cannot be unselected by a second click,
    and the filters speak French."""
    at = _app(w=seeded["workshop"].code, k=seeded["token"]).switch_page("pages/console.py").run()
    assert not at.exception
    buttons = [b.proto for b in at.get("link_button")]
    wall = [b for b in buttons if b.label == "Ouvrir l'écran de la salle"]
    assert len(wall) == 1 and wall[0].url == f"/projector?w={seeded['workshop'].code}"
    assert not [p for p in at.get("page_link") if "projector" in p.proto.page]
    for key in ("con_section", "con_view", "con_lang"):
        assert at.segmented_control(key=key).proto.required, key
    at.segmented_control(key="con_section").set_value("network").run()
    assert {m.proto.placeholder for m in at.multiselect} == {"Choisir…"}


def test_console_reruns_at_the_same_version_read_the_lists_once(seeded, monkeypatch):
    """A click or a typed letter reruns the console: at the same data version its lists (ideas,
    participants, contacts, themes) come from the cache; a write (a new version) reads them again."""
    import streamlit as st

    st.cache_data.clear()
    reads = []
    frame = store.ideas_frame
    monkeypatch.setattr(store, "ideas_frame", lambda *a, **k: reads.append(k) or frame(*a, **k))
    at = _app(w=seeded["workshop"].code, k=seeded["token"]).switch_page("pages/console.py").run()
    at.segmented_control(key="con_section").set_value("themes").run()
    at.run()
    at.segmented_control(key="con_section").set_value("moderation").run()
    assert not at.exception
    assert reads == [{"include_hidden": True}]  # one reading serves both sections and the rerun
    conn = dbmod.connect(seeded["path"])
    alice = store.participant_by_token(conn, seeded["ptoken"])[1]
    store.add_idea(conn, alice, submission_id="new-version", text="Une idée de plus")
    conn.close()
    at.run()
    assert len(reads) == 2 and "Une idée de plus" in str([m.value for m in at.markdown])


def test_a_large_rooms_wall_never_lays_out_the_whole_room_and_the_console_does(app_env):
    """Above network.WALL_DETAIL_LIMIT nodes the wall draws the room's summary, laid out apart:
    the layout of every node (0.5 s at 1,000 people, at each new data version) is made only when
    a view draws it, the console's network."""
    from workshop import demo, network
    from workshop.ui import network_view

    conn = dbmod.connect(app_env)
    seeded = demo.seed_demo(conn, participants=30, seed=4, with_themes=False)
    w = store.get_workshop(conn, seeded.workshop.id)
    conn.close()
    path = str(app_env)
    filters_json, wall_view = network_view.view_settings(w, wall=True)
    shared = network_view.network_analysis(path, w.id, w.version, filters_json)
    assert shared.full_graph.vcount() > network.WALL_DETAIL_LIMIT
    wall = network_view.network_figure(path, w.id, w.version, wall_view, "fr")
    assert wall.data and "positions" not in vars(shared)  # drawn from the summary's own layout
    assert network_view.wall_positions(w.id) is None
    console = network_view.network_figure(path, w.id, w.version, network_view.view_settings(w)[1], "fr")
    assert console.data and len(shared.positions) == shared.full_graph.vcount()
    assert network_view.wall_positions(w.id) == shared.positions  # what the Gephi export then reuses


def test_the_wall_draws_its_clock_button_the_load_test_presses(seeded):
    """What the tick does is tested at the protocol level (tests/e2e/test_wall.py: AppTest reruns
    the whole page on a click, fragments or not); here, the button is there, named in French."""
    from workshop import stclient
    from workshop.ui import wall_clock

    assert stclient.WALL_TICK == wall_clock.TICK_KEY
    at = _app(w=seeded["workshop"].code).switch_page("pages/projector.py").run()
    assert at.button(key=wall_clock.TICK_KEY).label == "Suivre la salle"
