"""The session bundle: members, readable graph files, safe cells, privacy levels, round trip,
and imports that refuse bad bundles without writing anything."""

from __future__ import annotations

import io
import json
import re
import zipfile

import igraph as ig
import networkx as nx
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from pypdf import PdfReader

from workshop import demo, export, rooms, store
from workshop.errors import ImportRefused


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    from workshop import db as dbmod

    path = tmp_path_factory.mktemp("export") / "demo.db"
    conn = dbmod.open_db(path)
    result = demo.seed_demo(conn, participants=8, seed=3)
    # Hostile and tricky labels must survive (or be neutralised) everywhere.
    p = store.participant_by_token(conn, result.participant_tokens[0])[1]
    store.add_contact(conn, p, submission_id="tricky-1", label='=HYPERLINK("http://x.y","clic")', circle="clients")
    store.add_contact(conn, p, submission_id="tricky-2", label='Dupont, "Zoé" Œuvrard', circle="family")
    store.add_idea(conn, p, submission_id="tricky-3", text="@SUM(A1)\nsur deux lignes, avec « guillemets »")
    store.add_idea(conn, p, submission_id="tricky-4", text="+cmd|' /C calc'!A0")
    # Formulas hidden in a list field (tags, joined with ;): each yields a number no cell holds otherwise.
    store.add_idea(conn, p, submission_id="tricky-5", text="Idée ordinaire", tags=["vert", "=1234+4321", "+777*3", "-100-11"])
    # Formulas after a separator or a line break inside the text: a reader that splits there
    # (LibreOffice with ";" splits a ","-quoted field at its ";") would start a cell with them.
    store.add_idea(conn, p, submission_id="tricky-6", text="Une idée; deux lignes\n=1234+4321;fin")
    store.add_idea(conn, p, submission_id="tricky-7", text="Avant, +777*3 ; puis\t-100-11")
    conn.close()
    return path, result


@pytest.fixture
def conn(demo_db):
    from workshop import db as dbmod

    c = dbmod.connect(demo_db[0])
    yield c
    c.close()


def unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


@pytest.fixture(scope="module")
def full_bundle(demo_db):
    from workshop import db as dbmod

    c = dbmod.connect(demo_db[0])
    data = export.bundle(c, demo_db[1].workshop.id, level="full")
    c.close()
    return unzip(data)


# Written out, not read from export.FORMATS: a format dropped from the table fails here.
NAMED_LEVELS = (
    "workshop.json",
    "network.png",
    "themes.png",
    "network.gexf",
    "network.graphml",
    "nodes.csv",
    "edges.csv",
    "ties.csv",
    "ideas.csv",
    "themes.csv",
    "votes.csv",
    "collectifs.csv",
    "workshop.xlsx",
    "report.pdf",
)


def test_full_bundle_has_every_member(full_bundle):
    assert tuple(full_bundle) == NAMED_LEVELS


@pytest.mark.parametrize("level", ["pseudonymised", "aggregate"])
def test_each_level_holds_the_files_the_formats_table_names_in_its_order(conn, demo_db, level, monkeypatch):
    """One table drives the ZIP and its file list; the room is read once per bundle (one
    snapshot), however many formats use it."""
    from workshop import rooms

    loads, steps = [], []
    real_load = rooms.load
    monkeypatch.setattr(rooms, "load", lambda db, wid: loads.append(wid) or real_load(db, wid))
    data = export.bundle(conn, demo_db[1].workshop.id, level=level, progress=steps.append)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert tuple(zf.namelist()) == export.members(level)
    if level == "pseudonymised":  # the same files as 'full', pseudonyms inside
        assert export.members(level) == NAMED_LEVELS
    assert loads == [demo_db[1].workshop.id]
    expected_steps = [f.step for f in export.FORMATS if f.files(level)]
    assert steps == expected_steps and ("network" in steps) == (level != "aggregate")
    assert export.members("aggregate") == (
        "workshop.json",
        "network.png",
        "themes.png",
        "themes.csv",
        "reach.csv",
        "flows.csv",
        "workshop.xlsx",
        "report.pdf",
    )


def test_gexf_and_graphml_read_back_with_attributes(full_bundle, tmp_path):
    G = nx.read_gexf(io.BytesIO(full_bundle["network.gexf"]))
    H = nx.read_graphml(io.BytesIO(full_bundle["network.graphml"]))
    assert G.number_of_nodes() == H.number_of_nodes() > 8
    node = next(n for n, d in H.nodes(data=True) if d["kind"] == "contact")
    attrs = H.nodes[node]
    for key in ("label", "kind", "circle", "region", "city", "organisation", "sector", "community", "degree", "betweenness"):
        assert key in attrs
    assert isinstance(attrs["degree"], int) and isinstance(attrs["betweenness"], float)
    edge = next(iter(H.edges(data=True)))[2]
    for key in (
        "circle",
        "strength",
        "trust",
        "dormant",
        "last_contact",
        "flow_goods",
        "flow_money",
        "flow_knowledge",
        "flow_trust",
        "flow_emotion",
    ):
        assert key in edge
    assert isinstance(edge["dormant"], bool) and isinstance(edge["strength"], int)
    assert "viz" in G.nodes[node] and {"r", "g", "b"} <= set(G.nodes[node]["viz"]["color"])
    (tmp_path / "n.graphml").write_bytes(full_bundle["network.graphml"])
    g = ig.Graph.Read_GraphML(str(tmp_path / "n.graphml"))
    assert g.vcount() == H.number_of_nodes() and "flow_trust" in g.es.attributes()
    # Who knows whom: edges of kind "knows" between two contact nodes, in both files and in igraph.
    data = json.loads(full_bundle["workshop.json"])
    node_of = {c["id"]: c["node"] for c in data["contacts"]}
    stated = {frozenset((node_of[t["contact_a"]], node_of[t["contact_b"]])) for t in data["ties"]} - {
        frozenset([n]) for n in node_of.values()
    }
    for graph in (G, H):
        knows = {frozenset((a, b)) for a, b, d in graph.edges(data=True) if d["kind"] == "knows"}
        assert knows == stated and len(knows) > 20
        assert all(graph.nodes[n]["kind"] == "contact" for pair in knows for n in pair)
    assert g.es["kind"].count("knows") == len(stated)
    ties_sheet = pd.read_csv(io.BytesIO(full_bundle["ties.csv"]), dtype=str, keep_default_na=False)
    assert list(ties_sheet.columns) == ["stated_by", "contact_a", "contact_b"] and len(ties_sheet) == len(data["ties"])


def test_node_ids_stable_across_exports(conn, demo_db, full_bundle):
    again = unzip(export.bundle(conn, demo_db[1].workshop.id, level="full"))
    ids_1 = pd.read_csv(io.BytesIO(full_bundle["nodes.csv"]))["Id"].tolist()
    ids_2 = pd.read_csv(io.BytesIO(again["nodes.csv"]))["Id"].tolist()
    assert ids_1 == ids_2


def test_csvs_read_back_with_gephi_columns(full_bundle):
    nodes = pd.read_csv(io.BytesIO(full_bundle["nodes.csv"]))
    edges = pd.read_csv(io.BytesIO(full_bundle["edges.csv"]))
    assert {"Id", "Label", "kind", "circle"} <= set(nodes.columns)
    assert {"Source", "Target", "Type", "Weight", "dormant", "flow_trust"} <= set(edges.columns)
    labels = set(nodes["Label"])
    assert 'Dupont, "Zoé" Œuvrard' in labels  # commas, quotes and accents survive
    ideas = pd.read_csv(io.BytesIO(full_bundle["ideas.csv"]))
    assert "'@SUM(A1)\nsur deux lignes, avec « guillemets »" in set(ideas["text"])


@pytest.mark.parametrize("payload", ['=HYPERLINK("http://x.y","clic")', "@SUM(A1)", "+cmd|' /C calc'!A0", "-2+3", "\tx", "\rx"])
def test_safe_cell_neutralises(payload):
    assert export.safe_cell(payload) == "'" + payload
    assert export.safe_cell("Marie") == "Marie" and export.safe_cell(3) == 3


def test_no_formula_in_any_csv(full_bundle):
    """No cell, and no fragment of one that a reader could split off at , ; tab or a line break,
    starts like a formula."""
    for name, content in full_bundle.items():
        if name.endswith(".csv"):
            frame = pd.read_csv(io.BytesIO(content), dtype=str, keep_default_na=False)
            for col in frame.columns:
                assert not frame[col].str.startswith(export.DANGEROUS_PREFIXES).any(), (name, col)
                for cell in frame[col]:
                    fragments = re.split(r"[;,\t\r\n]", cell)[1:]
                    assert not [f for f in fragments if f.lstrip(" \u00a0").startswith(("=", "+", "@", "-"))], (name, col, cell)
    ideas = pd.read_csv(io.BytesIO(full_bundle["ideas.csv"]), dtype=str, keep_default_na=False)
    assert "Une idée; deux lignes\n'=1234+4321;fin" in set(ideas["text"])  # readable, and text


EVALUATED = ("5555", "2331", "-111")  # what =1234+4321, +777*3 and -100-11 would compute to


@pytest.mark.slow
@pytest.mark.parametrize("separator", [",", ";"])
def test_libreoffice_evaluates_no_formula_in_any_csv(full_bundle, tmp_path, separator):
    """Every CSV opened in LibreOffice Calc (headless) with `,` and with `;` (the French default):
    no cell holds a computed value, and the hostile texts are there as text."""
    import shutil
    import subprocess

    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice (Debian's libreoffice-calc-nogui) is installed by test.sh"
    names = sorted(n for n in full_bundle if n.endswith(".csv"))
    for name in names:
        (tmp_path / name).write_bytes(full_bundle[name])
    out = tmp_path / "out"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            f"--infilter=CSV:{ord(separator)},34,76",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",
            "--outdir",
            str(out),
            *[str(tmp_path / n) for n in names],
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    seen = ""
    for name in names:
        cells = {c.strip('"') for line in (out / name).read_text(encoding="utf-8").splitlines() for c in line.split(",")}
        assert not cells & set(EVALUATED), (name, separator, cells & set(EVALUATED))
        seen += (out / name).read_text(encoding="utf-8")
    for text in ("=1234+4321", "+777*3", "-100-11", '=HYPERLINK("'.replace('"', '""')):
        assert text in seen, (text, separator)


def test_xlsx_cells_are_strings_with_frozen_header_and_filter(full_bundle):
    wb = load_workbook(io.BytesIO(full_bundle["workshop.xlsx"]))
    assert len(wb.sheetnames) == 7
    found = False
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                assert cell.data_type != "f"
                if isinstance(cell.value, str) and cell.value.startswith("=HYPERLINK"):
                    found = True
                    assert cell.data_type == "s" and cell.quotePrefix
    assert found
    headers = [c.value for c in wb["Idées"][1]]
    assert "Idée" in headers  # readable headers in the workshop's language


def test_pdf_report_text(full_bundle, tmp_path):
    reader = PdfReader(io.BytesIO(full_bundle["report.pdf"]))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for heading in (
        "Rapport de l'atelier",
        "Chiffres clés",
        "Le réseau de la salle",
        "Portée collective",
        "Passerelles et capital dormant",
        "Thèmes, idées et votes",
        "Collectifs et prochaines étapes",
        "Offres et besoins de compétences",
    ):
        assert heading in text, heading
    assert "Journée Think&Do : l'entreprise diffuse" in text and "Quels cas d'usage" in text
    (tmp_path / "report.pdf").write_bytes(full_bundle["report.pdf"])


def test_pseudonymised_level_hides_labels_everywhere(conn, demo_db):
    files = unzip(export.bundle(conn, demo_db[1].workshop.id, level="pseudonymised"))
    labels = [c["label"] for c in store.contacts_frame(conn, demo_db[1].workshop.id).to_dict("records")]
    hidden_names = [
        p["display_name"] for p in store.participants_frame(conn, demo_db[1].workshop.id).to_dict("records") if not p["show_name"]
    ]
    blob = b"".join(v for k, v in files.items() if not k.endswith((".png", ".xlsx", ".pdf")))
    for label in labels:
        if len(label) > 4:
            assert label.encode() not in blob, label
    for name in hidden_names:
        assert f'"display_name": "{name}"'.encode() not in files["workshop.json"]
    doc = json.loads(files["workshop.json"])
    assert all(c["label"].startswith("c-") or c["label"].startswith("p-") for c in doc["contacts"])
    assert all("token_hash" not in p for p in doc["participants"])
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(files["report.pdf"])).pages)
    for label in labels:
        if len(label) > 6:
            assert label not in text
    # Contacts are third parties: what could single them out is dropped, only categories stay.
    assert all(c["city"] == "" and c["organisation"] == "" and c["skills"] == [] for c in doc["contacts"])
    assert any(c["region"] for c in doc["contacts"]) and any(c["sector"] for c in doc["contacts"])
    nodes = pd.read_csv(io.BytesIO(files["nodes.csv"]), dtype=str, keep_default_na=False)
    contacts_rows = nodes[nodes["kind"] != "participant"]
    assert (contacts_rows["city"] == "").all() and (contacts_rows["organisation"] == "").all()
    cities = {c["city"] for c in store.contacts_frame(conn, demo_db[1].workshop.id).to_dict("records") if len(c["city"]) > 4}
    organisations = {c["organisation"] for c in store.contacts_frame(conn, demo_db[1].workshop.id).to_dict("records")}
    assert cities and organisations - {""}
    for org in organisations - {""}:
        assert f'"{org}"'.encode() not in files["network.gexf"] and f'"{org}"'.encode() not in files["workshop.json"]
    # Ties stay between pseudonyms: the ties table names contact nodes, never a label.
    ties_sheet = pd.read_csv(io.BytesIO(files["ties.csv"]), dtype=str, keep_default_na=False)
    assert len(ties_sheet) == len(doc["ties"]) > 0
    nodes_ids = set(nodes["Id"])
    assert set(ties_sheet["contact_a"]) | set(ties_sheet["contact_b"]) <= nodes_ids


def test_aggregate_level_has_no_row_per_person(conn, demo_db):
    files = unzip(export.bundle(conn, demo_db[1].workshop.id, level="aggregate"))
    assert "nodes.csv" not in files and "network.gexf" not in files and "ideas.csv" not in files
    doc = json.loads(files["workshop.json"])
    assert set(doc) == {"format", "format_version", "level", "exported_at", "workshop", "aggregate"}
    assert doc["aggregate"]["counters"]["participants"] == 8


def _strip(doc: dict) -> dict:
    """workshop.json without what must change on import (ids, timestamps, code, node keys)."""
    doc = json.loads(json.dumps(doc))
    doc.pop("exported_at")
    for key in ("code", "created_at", "retention_date"):
        doc["workshop"].pop(key)
    pid = {p["id"]: n for n, p in enumerate(doc["participants"])}
    cid = {c["id"]: n for n, c in enumerate(doc["contacts"])}
    tid = {t["id"]: n for n, t in enumerate(doc["themes"])}
    for p in doc["participants"]:
        p["id"] = pid[p["id"]]
        p.pop("joined_at")
        p.pop("token_hash", None)
    for c in doc["contacts"]:
        c["id"], c["participant_id"] = cid[c["id"]], pid[c["participant_id"]]
        c.pop("node")
        c.pop("created_at")
    for i in doc["ideas"]:
        i.pop("id")
        i.pop("created_at")
        i["participant_id"] = pid[i["participant_id"]]
        i["theme_id"] = tid.get(i["theme_id"])
    for t in doc["themes"]:
        t["id"] = tid[t["id"]]
    for v in doc["votes"]:
        v["participant_id"], v["theme_id"] = pid[v["participant_id"]], tid[v["theme_id"]]
    for col in doc["collectifs"]:
        col.pop("id")
        col["theme_id"] = tid.get(col["theme_id"])
        col["members"] = sorted(pid[m] for m in col["members"])
        col["contacts"] = sorted(cid[c] for c in col["contacts"])
        for s in col["next_steps"]:
            s["participant_id"] = pid.get(s["participant_id"])
    for m in doc["merges"]:
        m["a_id"] = cid[m["a_id"]]
        m["b_id"] = cid[m["b_id"]] if m["kind"] == "contact" else pid[m["b_id"]]
    for t in doc["ties"]:
        t["participant_id"], t["contact_a"], t["contact_b"] = pid[t["participant_id"]], cid[t["contact_a"]], cid[t["contact_b"]]
    doc["votes"].sort(key=lambda v: (v["theme_id"], v["participant_id"]))
    doc["merges"].sort(key=lambda m: (m["kind"], m["a_id"], m["b_id"]))
    return doc


def test_round_trip_export_import_export(conn, demo_db, full_bundle):
    before = json.loads(full_bundle["workshop.json"])
    assert len(before["ties"]) > 100  # the demo room said who knows whom
    new, token = export.import_bundle(conn, export.bundle(conn, demo_db[1].workshop.id, level="full"), keep_links=False)
    assert new.id != demo_db[1].workshop.id and new.code != before["workshop"]["code"]
    after = export.payload(conn, new.id, level="full")
    assert _strip(after) == _strip(before)
    assert store.authenticate_facilitator(conn, new.code, token).id == new.id
    # Personal links stay with the old workshop unless the facilitator keeps them.
    assert store.participant_by_token(conn, demo_db[1].participant_tokens[1])[0].id == demo_db[1].workshop.id
    assert rooms.compare_with_previous(conn, new.id) is None


def test_import_keeping_links_moves_them_to_the_new_workshop(tmp_path):
    from workshop import db as dbmod

    c = dbmod.open_db(tmp_path / "k.db")
    result = demo.seed_demo(c, participants=3, seed=9, with_themes=False)
    data = export.bundle(c, result.workshop.id, level="full")
    new, _ = export.import_bundle(c, data, keep_links=True, previous_id=result.workshop.id)
    assert store.participant_by_token(c, result.participant_tokens[0])[0].id == new.id
    comparison = rooms.compare_with_previous(c, new.id)
    assert comparison["new_participants"] == [] and comparison["new_contacts"] == 0
    c.close()


def _counts(conn) -> tuple:
    return tuple(
        conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("workshops", "participants", "contacts", "ideas", "themes")
    )


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    return buf.getvalue()


@pytest.mark.parametrize(
    "make,key",
    [
        (lambda b: b[: len(b) // 2], "imp.not_zip"),
        (lambda b: b"not a zip at all", "imp.not_zip"),
        (lambda b: _zip({"other.txt": b"x"}), "imp.no_json"),
        (lambda b: _zip({"workshop.json": b"{not json"}), "imp.bad_json"),
        (
            lambda b: _zip({"workshop.json": json.dumps({"format": "thinkdo-workshop", "format_version": 99}).encode()}),
            "imp.version",
        ),
        (lambda b: _zip({"workshop.json": b" " * (21 * 2**20)}), "imp.too_big"),
        (lambda b: b"PK" + b"\0" * (21 * 2**20), "imp.too_big"),
    ],
)
def test_malformed_bundles_refused_and_nothing_written(conn, demo_db, make, key):
    good = export.bundle(conn, demo_db[1].workshop.id, level="full")
    before = _counts(conn)
    with pytest.raises(ImportRefused) as err:
        export.import_bundle(conn, make(good))
    assert err.value.key == key
    assert "Rien n'a été importé" in err.value.message("fr")
    assert _counts(conn) == before


def test_bundle_broken_in_the_middle_leaves_nothing(conn, demo_db, full_bundle):
    doc = json.loads(full_bundle["workshop.json"])
    doc["contacts"][-1]["label"] = "x" * 500  # passes the structure check, fails the store's validation
    before = _counts(conn)
    with pytest.raises(ImportRefused):
        export.import_bundle(conn, json.dumps(doc).encode())
    assert _counts(conn) == before


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(json_values)
def test_arbitrary_json_is_refused_cleanly(conn, value):
    before = _counts(conn)
    with pytest.raises(ImportRefused):
        export.import_bundle(
            conn, json.dumps({"format": "thinkdo-workshop", "format_version": 1, "level": "full", "workshop": value}).encode()
        )
    with pytest.raises(ImportRefused):
        export.import_bundle(conn, _zip({"workshop.json": json.dumps(value).encode()}))
    assert _counts(conn) == before


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.data())
def test_mutated_real_payload_never_crashes(conn, full_bundle, data):
    doc = json.loads(full_bundle["workshop.json"])
    section = data.draw(st.sampled_from(["participants", "contacts", "ideas", "themes", "votes", "collectifs", "merges"]))
    if doc[section]:
        row = data.draw(st.sampled_from(doc[section]))
        key = data.draw(st.sampled_from(sorted(row)))
        row[key] = data.draw(json_values)
    before = _counts(conn)
    try:
        new, _ = export.import_bundle(conn, json.dumps(doc).encode())
    except ImportRefused:
        assert _counts(conn) == before
    else:
        store.delete_workshop(conn, new.id, vacuum=False)


def test_an_english_report_is_punctuated_in_english(tmp_path):
    """The English PDF had French typography: "Question : « … »", "Date : …"."""
    from workshop import db as dbmod

    conn = dbmod.open_db(tmp_path / "en.db")
    expected = {"en": ("Question: “What can we share?”", "Date: "), "fr": ("Question : « What can we share? »", "Date : ")}
    for language, lines in expected.items():
        workshop, _ = store.create_workshop(conn, title="Workshop", language=language, question="What can we share?")
        pdf = unzip(export.bundle(conn, workshop.id, level="full"))["report.pdf"]
        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).replace("\u00a0", " ")
        assert all(line in text for line in lines), (language, text[:200])
        assert language == "fr" or ("«" not in text and " :" not in text)
    conn.close()


def test_pdf_marks_what_its_font_cannot_draw(tmp_path):
    """Emoji and CJK are not in the embedded font: drawn as □ with a note, never dropped silently;
    accents and Arabic letters stay."""
    from workshop import db as dbmod
    from workshop import report

    assert report.printable("Famille 👨‍👩‍👧 👍🏽 日本 كلمة café") == "Famille □ □ □□ كلمة café"
    conn = dbmod.open_db(tmp_path / "pdf.db")
    workshop, _ = store.create_workshop(conn, title="Atelier 日本 👨‍👩‍👧 café")
    pdf = unzip(export.bundle(conn, workshop.id, level="full"))["report.pdf"]
    conn.close()
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Atelier □□ □ café" in text
    assert "ne sait pas dessiner" in text


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.data())
def test_any_accepted_import_leaves_console_wall_and_export_working(conn, full_bundle, data):
    """Hostile bundles (settings of any shape, a NUL in a name, huge text): refused clearly, or
    imported cleaned, after which the network, the themes and a full export all still work."""
    from workshop import network

    doc = json.loads(full_bundle["workshop.json"])
    doc["workshop"]["settings"] = data.draw(
        st.one_of(
            json_values,
            st.fixed_dictionaries(
                {
                    "net_view": json_values,
                    "color_by": json_values,
                    "filters": st.one_of(json_values, st.dictionaries(st.text(), json_values)),
                }
            ),
        )
    )
    doc["participants"][0]["display_name"] = data.draw(st.sampled_from(["Nul\x00Byte", "x" * 5000, "  ", "Zoé"]))
    doc["workshop"]["title"] = data.draw(st.sampled_from(["Titre", "T" * 5_000_000, "\x00"]))
    before = _counts(conn)
    try:
        new, _ = export.import_bundle(conn, json.dumps(doc).encode())
    except ImportRefused as exc:
        assert _counts(conn) == before and exc.message("fr").startswith("Import refusé")
        return
    try:
        w = store.get_workshop(conn, new.id)
        assert set(w.settings) <= {"net_view", "color_by", "size_by", "filters"}
        assert "\x00" not in "".join(store.participants_frame(conn, new.id)["display_name"])
        network.analyse(rooms.load(conn, new.id), filters=w.settings.get("filters", {}))
        rooms.theme_cards(conn, new.id)
        assert "workshop.json" in unzip(export.bundle(conn, new.id, level="pseudonymised"))
    finally:
        store.delete_workshop(conn, new.id, vacuum=False)


def test_import_obeys_the_rooms_limits_and_accepts_a_text_version(conn, full_bundle):
    doc = json.loads(full_bundle["workshop.json"])
    doc["format_version"] = "1"
    many = dict(doc, contacts=doc["contacts"] + [dict(doc["contacts"][0], id=10_000 + n) for n in range(501)])
    before = _counts(conn)
    with pytest.raises(ImportRefused) as err:
        export.import_bundle(conn, json.dumps(many).encode())
    assert "plus de 500 contacts" in err.value.message("fr") and _counts(conn) == before
    new, _ = export.import_bundle(conn, json.dumps(doc).encode())  # "1" as text is version 1
    store.delete_workshop(conn, new.id, vacuum=False)


def test_the_pseudonymisation_key_lives_outside_the_database(tmp_path, monkeypatch):
    """The database alone cannot rebuild the pseudonyms: the master key is a file beside it
    (or WORKSHOP_PSEUDONYM_KEY), created on first use, never stored in the database."""
    from workshop import db as dbmod

    monkeypatch.delenv("WORKSHOP_PSEUDONYM_KEY", raising=False)
    conn = dbmod.open_db(tmp_path / "p.db")
    w, _ = store.create_workshop(conn, title="Clé")
    store.set_round(conn, w.id, "contacts", is_open=True)
    p = store.join(conn, w.code, "Zoé", token="tok-key-00000000000000")
    store.add_contact(conn, p, submission_id="k1", label="Marc", circle="family")
    first = export.payload(conn, w.id, level="pseudonymised")
    key = (tmp_path / "pseudonym.key").read_bytes()
    assert len(key) == 64 and oct((tmp_path / "pseudonym.key").stat().st_mode)[-3:] == "600"
    assert export.payload(conn, w.id, level="pseudonymised")["contacts"] == first["contacts"]  # stable
    conn.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for path in tmp_path.glob("p.db*"):
        assert key not in path.read_bytes()
    monkeypatch.setenv("WORKSHOP_PSEUDONYM_KEY", "une-autre-cle")
    assert export.payload(conn, w.id, level="pseudonymised")["contacts"][0]["node"] != first["contacts"][0]["node"]
    conn.close()


def test_delete_my_data_after_a_series_import_erases_every_copy(tmp_path):
    """A link carried into the next workshop: "delete my data" there erases the earlier
    workshop's copy too, and touches nobody else."""
    from workshop import db as dbmod

    c = dbmod.open_db(tmp_path / "serie.db")
    result = demo.seed_demo(c, participants=3, seed=9, with_themes=False)
    first = result.workshop.id
    name = store.participant_by_token(c, result.participant_tokens[0])[1].display_name
    before_others = len(store.participants_frame(c, first)) - 1
    new, _ = export.import_bundle(c, export.bundle(c, first, level="full"), keep_links=True, previous_id=first)
    _, me = store.participant_by_token(c, result.participant_tokens[0])
    assert me.workshop_id == new.id
    store.delete_participant(c, me)
    for wid in (first, new.id):
        assert name not in set(store.participants_frame(c, wid)["display_name"])
    assert len(store.participants_frame(c, first)) == before_others
    c.close()


def test_keeping_links_never_takes_another_workshops_participants(db):
    """Anyone can create a workshop and import a victim's full export with "keep links": the
    victim's links must keep leading to the victim's room (6 of 6 were taken before)."""
    victim = demo.seed_demo(db, participants=6, seed=21, with_themes=False)
    attacker, _ = store.create_workshop(db, title="Atelier pirate")
    data = export.bundle(db, victim.workshop.id, level="full")
    copy, _ = export.import_bundle(db, data, keep_links=True, previous_id=attacker.id)
    for token in victim.participant_tokens:
        assert store.participant_by_token(db, token)[0].id == victim.workshop.id
    assert len(store.participants_frame(db, copy.id)) == 6  # the copy is there, with links of its own
    # The victim's own facilitator, continuing the series from their console, moves them.
    following, _ = export.import_bundle(db, data, keep_links=True, previous_id=victim.workshop.id)
    assert all(store.participant_by_token(db, t)[0].id == following.id for t in victim.participant_tokens)


def test_the_bundle_analyses_the_room_once_and_its_files_agree(conn, demo_db, monkeypatch):
    """One exact analysis feeds the PDF, the GEXF and the tables (a second, approximate one could
    name other brokers than the GEXF's betweenness above a thousand nodes)."""
    from workshop import network, rooms

    calls = []
    real = network.metrics
    monkeypatch.setattr(network, "metrics", lambda g, **kw: calls.append(kw) or real(g, **kw))
    files = unzip(export.bundle(conn, demo_db[1].workshop.id, level="full"))
    assert calls == [{"seed": 0, "exact": True}]
    reading = rooms.read(conn, demo_db[1].workshop.id)
    G = nx.read_gexf(io.BytesIO(files["network.gexf"]))
    by_label = {d["label"]: float(d["betweenness"]) for _, d in G.nodes(data=True) if d["kind"] == "participant"}
    table = reading.analysis.metrics.set_index("key")
    for v in reading.analysis.graph.vs.select(kind="participant"):
        name = reading.room.participants.set_index("id").loc[int(v["key"][1:]), "display_name"]
        assert by_label[name] == pytest.approx(float(table.loc[v["key"], "betweenness"]))
