"""AppTest: app.py and every page run without exception; the participant and console pages
driven by widget keys, checked against the database (never against the widget)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from workshop import db as dbmod
from workshop import store

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
    assert "Alice" in at.subheader[0].value


def test_participant_stale_link(seeded):
    at = _app(p="not-a-real-token").switch_page("pages/participate.py").run()
    assert not at.exception
    assert "lien personnel" in at.error[0].value


def test_projector_page_runs(seeded):
    at = _app(w=seeded["workshop"].code).switch_page("pages/projector.py").run()
    assert not at.exception


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
