"""A new measure that sizes the network's nodes is its function in network.py and its name in
each catalogue: a copy of the app with only those three files changed offers it in the console,
keeps it as the workshop's setting, and the wall draws its nodes by it."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.appcopy import copy_app, run_in_copy

# A copy of the app run in a subprocess (~6 s): in the full suite, not the inner loop.
pytestmark = pytest.mark.slow

# Appended to the copy's network.py: closeness centrality, 0 for an isolated node.
MEASURE = textwrap.dedent(
    """

    def closeness_scores(g: ig.Graph) -> list[float]:
        return [0.0 if np.isnan(c) else float(c) for c in g.closeness()]


    SIZE_MEASURES["closeness"] = closeness_scores
    SIZE_MODES = (*SIZE_MODES, "closeness")
    """
)

CHECK = textwrap.dedent(
    """
    import sys
    from streamlit.testing.v1 import AppTest
    from workshop import db as dbmod, demo, network, rooms, store

    db = dbmod.open_db(sys.argv[1])
    room = demo.seed_demo(db, participants=6, seed=5, with_themes=False)
    db.close()
    console = AppTest.from_file("app.py", default_timeout=60)
    console.query_params.update({"w": room.workshop.code, "k": room.facilitator_token})
    console.switch_page("pages/console.py").run()
    console.segmented_control(key="con_section").set_value("network").run()
    assert not console.exception, console.exception
    print("offered:", " | ".join(console.selectbox(key="net_size").options))
    console.selectbox(key="net_size").set_value("closeness").run()
    assert not console.exception, console.exception
    db = dbmod.connect(sys.argv[1])
    print("kept:", store.get_workshop(db, room.workshop.id).settings.get("size_by"))
    store.update_workshop(db, room.workshop.id, projector_view="network")
    db.close()
    import json

    def wall_sizes():
        wall = AppTest.from_file("app.py", default_timeout=60)
        wall.query_params["w"] = room.workshop.code
        wall.switch_page("pages/projector.py").run()
        assert not wall.exception, wall.exception
        figure = json.loads(wall.get("plotly_chart")[0].proto.spec)
        return [s for trace in figure["data"] for s in (trace.get("marker", {}).get("size") or [])]

    by_closeness = wall_sizes()
    db = dbmod.connect(sys.argv[1])
    store.update_view_settings(db, room.workshop.id, size_by="degree")
    table = network.metrics(network.build_graph(rooms.load(db, room.workshop.id)))
    db.close()
    print("wall: " + ("by the measure" if by_closeness != wall_sizes() else "by degree"))
    print("column:", table["closeness"].max() > 0)
    """
)


def _add_key(catalogue: Path, text: str) -> None:
    body = catalogue.read_text(encoding="utf-8")
    end = body.rindex("}")
    catalogue.write_text(body[:end] + f"    'net.size.closeness': {text!r},\n" + body[end:], encoding="utf-8")


def test_a_new_measure_that_sizes_the_nodes_is_three_files(tmp_path):
    copy = copy_app(tmp_path / "app")
    network = copy / "workshop" / "network.py"
    network.write_text(network.read_text(encoding="utf-8") + MEASURE, encoding="utf-8")
    _add_key(copy / "workshop" / "i18n" / "fr.py", "Proximité (chemins courts)")
    _add_key(copy / "workshop" / "i18n" / "en.py", "Closeness (short paths)")
    database = str(tmp_path / "metric.db")
    lines = run_in_copy(copy, CHECK, database, env={"WORKSHOP_DB": database})
    assert lines["offered"] == "Degré | Intermédiarité | Taille effective (groupes reliés) | Proximité (chemins courts)"
    assert lines["kept"] == "closeness"
    assert lines["column"] == "True"
    assert lines["wall"] == "by the measure"  # the wall's nodes, drawn by closeness then by degree, differ
