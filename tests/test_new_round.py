"""A display-only round (a pause, a talk) is its name in model.ROUNDS and its words in each
catalogue: a copy of the app with only those three files changed opens it on the console's
controls, a phone shows its text, the wall announces it."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.appcopy import copy_app, run_in_copy

# A copy of the app run in a subprocess (~4 s): in the full suite, not the inner loop.
pytestmark = pytest.mark.slow

CHECK = textwrap.dedent(
    """
    import sys
    from streamlit.testing.v1 import AppTest
    from workshop import db as dbmod, store
    from workshop.model import ROUNDS

    assert ROUNDS[-1] == "pause", ROUNDS
    db = dbmod.open_db(sys.argv[1])
    workshop, key = store.create_workshop(db, title="Atelier")
    store.join(db, workshop.code, "Alice", token="tok-alice-pause-000000")
    db.close()
    console = AppTest.from_file("app.py", default_timeout=60)
    console.query_params.update({"w": workshop.code, "k": key})
    console.switch_page("pages/console.py").run()
    console.button(key="open_pause").click().run()
    assert not console.exception, console.exception
    db = dbmod.connect(sys.argv[1])
    print("open:", store.current_round(db, workshop.id).name)
    db.close()
    phone = AppTest.from_file("app.py", default_timeout=60)
    phone.query_params["p"] = "tok-alice-pause-000000"
    phone.switch_page("pages/participate.py").run()
    assert not phone.exception, phone.exception
    print("phone:", " | ".join(m.value for m in phone.markdown if "Pause" in m.value))
    wall = AppTest.from_file("app.py", default_timeout=60)
    wall.query_params["w"] = workshop.code
    wall.switch_page("pages/projector.py").run()
    print("wall:", next(e.proto.body for e in wall.get("html") if "proj-round" in e.proto.body))
    """
)


def _add_keys(catalogue: Path, label: str, text: str) -> None:
    body = catalogue.read_text(encoding="utf-8")
    end = body.rindex("}")
    catalogue.write_text(
        body[:end] + f"    'round.pause': {label!r},\n    'round_text.pause': {text!r},\n" + body[end:], encoding="utf-8"
    )


def test_a_display_only_round_is_three_files(tmp_path):
    copy = copy_app(tmp_path / "app")
    model = copy / "workshop" / "model.py"
    text = model.read_text(encoding="utf-8")
    assert 'ROUNDS = ("contacts", "ideas", "vote", "collectifs")' in text
    model.write_text(text.replace('"vote", "collectifs")', '"vote", "collectifs", "pause")', 1), encoding="utf-8")
    _add_keys(copy / "workshop" / "i18n" / "fr.py", "Pause", "Pause café : on reprend à 11 h.")
    _add_keys(copy / "workshop" / "i18n" / "en.py", "Break", "Coffee break: we start again at 11.")
    database = str(tmp_path / "pause.db")
    lines = run_in_copy(copy, CHECK, database, env={"WORKSHOP_DB": database}, timeout=180)
    assert lines["open"] == "pause"
    assert "Pause café : on reprend à 11 h." in lines["phone"].replace("\\\\", "")
    assert "Manche en cours : Pause" in lines["wall"]
