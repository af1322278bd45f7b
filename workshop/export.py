"""After the event: the session bundle (ZIP of GEXF, GraphML, CSV, XLSX, PDF, PNG, JSON) at three
privacy levels, and the import that reads its workshop.json back (format documented in README).

Every cell that came from user text is neutralised (OWASP: no leading = + - @ tab CR LF in CSV;
XLSX cells typed as strings), and contact labels never leave as plain text below level 'full'.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sqlite3
import zipfile
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import pandas as pd
from sqlite_utils import Database

from workshop import config, network, security, store, validation
from workshop.errors import ImportRefused, InvalidInput
from workshop.i18n import format_date, t
from workshop.model import CIRCLES, FLOWS, LANGUAGES, Workshop

FORMAT = "thinkdo-workshop"
FORMAT_VERSION = 1
LEVELS = ("full", "pseudonymised", "aggregate")
DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
MEMBERS = (
    "workshop.json", "network.gexf", "network.graphml", "nodes.csv", "edges.csv", "ideas.csv", "themes.csv",
    "votes.csv", "collectifs.csv", "workshop.xlsx", "report.pdf", "network.png", "themes.png",
)  # fmt: skip


# ---------------------------------------------------------------- cell safety


def safe_cell(value: object) -> object:
    """OWASP CSV-injection guard: text starting with = + - @ tab CR LF gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(DANGEROUS_PREFIXES):
        return "'" + value
    return value


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """Every field quoted: opened with `,` or with `;` (the French default) no field splits, so no
    fragment of participant text ever starts a cell; list elements are guarded one by one too."""
    buf = io.StringIO()
    writer = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow([safe_cell(c) for c in frame.columns])
    for row in frame.itertuples(index=False):
        writer.writerow([safe_cell(_flat(v)) for v in row])
    return buf.getvalue().encode("utf-8")


def _flat(value: object) -> object:
    if isinstance(value, (list, tuple, set)):
        return ";".join(str(safe_cell(str(v))) for v in value)
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return value


def xlsx_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """One sheet per table: frozen header row, filters, every text cell typed as a string."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    for name, frame in sheets.items():
        ws = wb.create_sheet(title=name[:31])
        ws.append([str(c) for c in frame.columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in frame.itertuples(index=False):
            ws.append([_xlsx_value(v) for v in row])
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str):
                    # openpyxl would store '=...' as a formula: force a plain string cell.
                    cell.data_type = "s"
                    if cell.value.startswith(DANGEROUS_PREFIXES):
                        cell.quotePrefix = True
        ws.freeze_panes = "A2"
        if frame.shape[1]:
            ws.auto_filter.ref = f"A1:{get_column_letter(frame.shape[1])}{max(1, len(frame) + 1)}"
        for idx, col in enumerate(frame.columns, start=1):
            width = max([len(str(col))] + [len(str(_flat(v))) for v in frame[col].head(200)])
            ws.column_dimensions[get_column_letter(idx)].width = min(60, max(10, width + 2))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _xlsx_value(value: object) -> object:
    value = _flat(value)
    if isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


# ---------------------------------------------------------------- the data, per level


def participant_label(participant_id: int, name: str, show_name: bool, *, level: str, secret: str) -> str:
    """A participant as a level shows them: their name in 'full' or if they chose to appear,
    otherwise a stable keyed-HMAC pseudonym."""
    if level == "full" or show_name:
        return name
    return security.keyed_id(secret, f"participant:{participant_id}", prefix="P")


def _node_id(key: str, level: str, secret: str) -> str:
    return key if level == "full" else security.keyed_id(secret, f"node:{key}", prefix=key[0])


# A contact is a third party: below the full level only generalised fields (circle, region,
# sector) stay; what could single them out (city, organisation, their skills) is dropped.
_HIDDEN_CONTACT_FIELDS = {"city": "", "organisation": "", "skills": []}


def payload(db: Database, workshop_id: int, *, level: str = "full") -> dict:
    """workshop.json: the whole workshop at a privacy level (format_version 1), one snapshot."""
    if level not in LEVELS:
        raise InvalidInput("err.invalid", field="con.export_level")
    with store.snapshot(db):
        return _payload(db, workshop_id, level=level)


def _payload(db: Database, workshop_id: int, *, level: str) -> dict:
    rows = store.workshop_rows(db, workshop_id)
    w = rows["workshop"]
    secret = store.workshop_secret(db, workshop_id)
    out: dict = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "level": level,
        "exported_at": store.now_iso(),
        "workshop": {
            "code": w["code"],
            "title": w["title"],
            "language": w["language"],
            "question": w["question"],
            "retention_date": w["retention_date"],
            "created_at": w["created_at"],
            "vote_dots": w["vote_dots"],
            "show_labels": bool(w["show_labels"]),
            "anonymous": bool(w["anonymous"]),
            "settings": validation.clean_view_settings(json.loads(w["settings"] or "{}")),
        },  # fmt: skip
    }
    room = network.load_room(db, workshop_id)
    if level == "aggregate":
        analysis = network.analyse(room)
        out["aggregate"] = {
            "counters": store.counters(db, workshop_id),
            "reach": {k: len(v) for k, v in analysis["reach"].items()},
            "reach_by_circle": analysis["reach"]["circle"],
            "reach_by_region": analysis["reach"]["region"],
            "reach_by_sector": analysis["reach"]["sector"],
            "sleeping_capital": analysis["sleeping"],
            "flows": analysis["flows"],
            "diversity": analysis["diversity"]["room"],
            "bridges": len(analysis["bridges"]),
            "themes": [
                {"label": th["label"], "ideas": int(th["ideas"]), "votes": int(th["votes"])}
                for th in store.themes_frame(db, workshop_id).to_dict("records")
            ],  # fmt: skip
        }
        return out
    people = {
        p["id"]: participant_label(p["id"], p["display_name"], p["show_name"], level=level, secret=secret)
        for p in rows["participants"]
    }
    node_of = network.resolve.resolve(room.contacts, room.merges)
    out["participants"] = [
        {
            "id": p["id"],
            "display_name": people[p["id"]],
            "skills_offered": p["skills_offered"],
            "skills_sought": p["skills_sought"],
            "show_name": p["show_name"],
            "blocked": p["blocked"],
            "joined_at": p["joined_at"],
            **({"token_hash": p["token_hash"]} if level == "full" else {}),
        }  # fmt: skip
        for p in rows["participants"]
    ]
    out["contacts"] = [
        {
            "id": c["id"],
            "participant_id": c["participant_id"],
            "node": (node := _node_id(node_of.get(c["id"], f"c{c['id']}"), level, secret)),
            "label": c["label"] if level == "full" else node,
            **{
                k: c[k]
                for k in (
                    "circle",
                    "strength",
                    "trust",
                    "dormant",
                    "last_contact_year",
                    "flows",
                    "region",
                    "city",
                    "organisation",
                    "sector",
                    "skills",
                    "created_at",
                )
            },
            **(_HIDDEN_CONTACT_FIELDS if level != "full" else {}),
        }  # fmt: skip
        for c in rows["contacts"]
    ]
    out["ideas"] = [
        {k: i[k] for k in ("id", "participant_id", "text", "tags", "hidden", "created_at", "theme_id")} for i in rows["ideas"]
    ]
    out["themes"] = [{"id": th["id"], "label": th["label"], "renamed": bool(th["renamed"])} for th in rows["themes"]]
    out["votes"] = rows["votes"]
    out["collectifs"] = [
        {
            "id": c["id"],
            "name": c["name"],
            "theme_id": c["theme_id"],
            "members": [m["id"] for m in c["members"]],
            "contacts": [x["id"] for x in c["contacts"]],
            "next_steps": [{k: s[k] for k in ("participant_id", "text", "due_date", "owner")} for s in c["next_steps"]],
        }  # fmt: skip
        for c in rows["collectifs"]
    ]
    if level != "full":
        for col in out["collectifs"]:
            for step in col["next_steps"]:
                step["owner"] = people.get(step["participant_id"], step["owner"]) if step["participant_id"] else step["owner"]
    out["merges"] = rows["merges"]
    return out


# ---------------------------------------------------------------- graph files


def graph_files(
    db: Database, workshop_id: int, *, level: str, lang: str, positions: dict | None = None
) -> tuple[bytes, bytes, pd.DataFrame, pd.DataFrame, dict]:
    """GEXF 1.2 (with viz), GraphML, and Gephi-style node/edge tables; node ids stable across exports.
    `positions`: the projector's last layout, so that Gephi opens the picture the room saw."""
    from workshop import charts

    room = network.load_room(db, workshop_id)
    g = network.build_graph(room)
    table = network.metrics(g, seed=0, exact=True)
    positions = network.layout(g, positions, seed=0)
    secret = store.workshop_secret(db, workshop_id)
    people = {
        int(p.id): participant_label(int(p.id), p.display_name, bool(p.show_name), level=level, secret=secret)
        for p in room.participants.itertuples()
    }
    G = nx.Graph()
    nodes, edges = [], []
    categories = sorted({c for c in g.vs["circle"] if c})
    for v, row in zip(g.vs, table.itertuples(), strict=True):
        nid = _node_id(v["key"], level, secret)
        if v["kind"] == "participant":
            label = people[int(v["key"][1:])]
        else:
            label = v["label"] if level == "full" else nid
        colour = charts.PALETTE[categories.index(v["circle"]) % len(charts.PALETTE)] if v["circle"] in categories else "#444444"
        x, y = positions[v["key"]]
        attrs = {
            "label": label, "kind": v["kind"], "circle": v["circle"], "region": v["region"], "city": v["city"],
            "organisation": v["organisation"], "sector": v["sector"], "community": int(row.community),
            "degree": int(row.degree), "betweenness": float(row.betweenness), "known_by": len(v["known_by"]),
        }  # fmt: skip
        if level != "full" and v["kind"] != "participant":
            attrs.update({k: val for k, val in _HIDDEN_CONTACT_FIELDS.items() if k in attrs})
        size = 4.0 + 20.0 * float(row.degree) / max(1, int(table["degree"].max()))
        G.add_node(nid, **attrs, viz={"color": _rgb(colour), "size": size, "position": {"x": x * 1000, "y": y * 1000, "z": 0.0}})
        nodes.append({"Id": nid, "Label": label, **{k: v2 for k, v2 in attrs.items() if k != "label"}, "x": x, "y": y})
    for e in g.es:
        a, b = _node_id(g.vs[e.source]["key"], level, secret), _node_id(g.vs[e.target]["key"], level, secret)
        attrs = {
            "circle": e["circle"], "strength": int(e["strength"]), "trust": int(e["trust"]), "dormant": bool(e["dormant"]),
            "last_contact": int(e["last_contact_year"] or 0), **{f"flow_{f}": f in e["flows"] for f in FLOWS},
            "weight": float(e["weight"]),
        }  # fmt: skip
        G.add_edge(a, b, **attrs)
        edges.append({"Source": a, "Target": b, "Type": "Undirected", "Weight": attrs["weight"],
                      **{k: v2 for k, v2 in attrs.items() if k != "weight"}})  # fmt: skip
    gexf = io.BytesIO()
    nx.write_gexf(G, gexf, version="1.2draft")
    H = G.copy()
    for _, data in H.nodes(data=True):
        data.pop("viz", None)
    graphml = io.BytesIO()
    nx.write_graphml(H, graphml)
    return gexf.getvalue(), graphml.getvalue(), pd.DataFrame(nodes), pd.DataFrame(edges), {"graph": g, "positions": positions}


def _rgb(hex_colour: str) -> dict:
    hex_colour = hex_colour.lstrip("#")
    return {"r": int(hex_colour[0:2], 16), "g": int(hex_colour[2:4], 16), "b": int(hex_colour[4:6], 16), "a": 1.0}


# ---------------------------------------------------------------- pictures (matplotlib: no browser needed)


def network_png(g, positions: dict, *, lang: str) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.collections import LineCollection

    from workshop import charts

    fig, ax = plt.subplots(figsize=(12, 9), dpi=110)
    segments = [(positions[g.vs[e.source]["key"]], positions[g.vs[e.target]["key"]]) for e in g.es]
    styles = ["dotted" if e["dormant"] else "solid" for e in g.es]
    if segments:
        ax.add_collection(LineCollection(segments, colors="#999999", linewidths=0.6, linestyles=styles, alpha=0.6))
    categories = sorted({v["circle"] for v in g.vs if v["kind"] == "contact" and v["circle"]})
    for n, cat in enumerate(categories):
        vs = [v for v in g.vs if v["kind"] == "contact" and v["circle"] == cat]
        ax.scatter([positions[v["key"]][0] for v in vs], [positions[v["key"]][1] for v in vs], s=[30 + 60 * (len(v["known_by"]) - 1) for v in vs],
                   color=charts.PALETTE[n % len(charts.PALETTE)], label=t(f"circle.{cat}", lang),
                   edgecolors=["#111" if len(v["known_by"]) > 1 else "none" for v in vs], linewidths=1.5, zorder=2)  # fmt: skip
    ps = [v for v in g.vs if v["kind"] == "participant"]
    ax.scatter([positions[v["key"]][0] for v in ps], [positions[v["key"]][1] for v in ps], s=140, marker="D",
               color="#222222", label=t("net.participant", lang), zorder=3)  # fmt: skip
    ax.legend(loc="upper left", fontsize=11, frameon=True, bbox_to_anchor=(1.0, 1.0))
    ax.set_axis_off()
    ax.set_aspect("equal")
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def themes_png(themes_df: pd.DataFrame, *, lang: str) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    fig, ax = plt.subplots(figsize=(11, max(3, 0.55 * max(1, len(themes_df)) + 1.5)), dpi=110)
    if not themes_df.empty:
        ranked = themes_df.sort_values(["votes", "ideas", "id"], ascending=[True, True, False])
        labels = [str(x)[:50] for x in ranked["label"]]
        ax.barh(labels, ranked["votes"], color="#d62728", label=t("th.votes", lang))
        ax.barh(labels, ranked["ideas"], left=ranked["votes"], color="#2ca02c", alpha=0.6, label=t("th.ideas", lang))
        ax.legend(fontsize=11)
    ax.tick_params(labelsize=11)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


# ---------------------------------------------------------------- the bundle


def bundle(
    db: Database,
    workshop_id: int,
    *,
    level: str = "full",
    progress: Callable[[str], None] | None = None,
    positions: dict | None = None,
) -> bytes:
    """The ZIP a facilitator downloads after the event; every file from one read snapshot, so
    the files agree with each other even while the room writes."""
    with store.snapshot(db):
        return _bundle(db, workshop_id, level=level, say=progress or (lambda _msg: None), positions=positions)


def _bundle(db: Database, workshop_id: int, *, level: str, say: Callable[[str], None], positions: dict | None) -> bytes:
    w = store.get_workshop(db, workshop_id)
    lang = w.language
    say("workshop.json")
    data = payload(db, workshop_id, level=level)
    files: dict[str, bytes] = {"workshop.json": json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")}
    themes_df = store.themes_frame(db, workshop_id)
    say("network")
    gexf, graphml, nodes, edges, drawn = graph_files(db, workshop_id, level=level, lang=lang, positions=positions)
    say("png")
    files["network.png"] = network_png(drawn["graph"], drawn["positions"], lang=lang)
    files["themes.png"] = themes_png(themes_df, lang=lang)
    tables = _tables(db, w, data, nodes, edges, level=level)
    if level != "aggregate":
        files["network.gexf"], files["network.graphml"] = gexf, graphml
    say("csv")
    tables = {name: readable(frame, lang) for name, frame in tables.items()}
    for name, frame in tables.items():
        files[f"{name}.csv"] = csv_bytes(frame)
    say("xlsx")
    files["workshop.xlsx"] = xlsx_bytes({_sheet_name(name, lang): _headers(frame, lang) for name, frame in tables.items()})
    say("pdf")
    from workshop import report

    files["report.pdf"] = report.pdf(
        db, workshop_id, data=data, level=level, network_png=files["network.png"], themes_png=files["themes.png"]
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, content in files.items():
            zf.writestr(name, content)
    return buf.getvalue()


def _tables(
    db: Database, w: Workshop, data: dict, nodes: pd.DataFrame, edges: pd.DataFrame, *, level: str
) -> dict[str, pd.DataFrame]:
    themes_df = store.themes_frame(db, w.id)[["id", "label", "ideas", "votes"]]
    if level == "aggregate":
        agg = data["aggregate"]
        return {
            "themes": themes_df.drop(columns=["id"]),
            "reach": pd.DataFrame(
                [
                    {"dimension": dim, "value": k, "count": n}
                    for dim in ("circle", "region", "sector")
                    for k, n in agg[f"reach_by_{dim}"].items()
                ]  # fmt: skip
            ),
            "flows": pd.DataFrame([{"flow": f, "ties": n} for f, n in agg["flows"]["flows"].items()]),
        }
    people = {p["id"]: p["display_name"] for p in data["participants"]}
    ideas = pd.DataFrame(
        [
            {
                "id": i["id"],
                "author": people.get(i["participant_id"], ""),
                "text": i["text"],
                "tags": i["tags"],
                "hidden": i["hidden"],
                "theme_id": i["theme_id"],
                "created_at": i["created_at"],
            }
            for i in data["ideas"]
        ],  # fmt: skip
        columns=["id", "author", "text", "tags", "hidden", "theme_id", "created_at"],
    )
    votes = pd.DataFrame(
        [{"voter": people.get(v["participant_id"], ""), "theme_id": v["theme_id"], "dots": v["dots"]} for v in data["votes"]],
        columns=["voter", "theme_id", "dots"],
    )
    collectifs = pd.DataFrame(
        [
            {
                "id": c["id"],
                "name": c["name"],
                "theme_id": c["theme_id"],
                "members": [people.get(m, "") for m in c["members"]],
                "mobilised_contacts": len(c["contacts"]),
                "next_steps": [
                    f"{s['text']} ({s['owner']}, {format_date(s['due_date'], w.language)})".replace(", )", ")")
                    for s in c["next_steps"]
                ],
            }
            for c in data["collectifs"]
        ],  # fmt: skip
        columns=["id", "name", "theme_id", "members", "mobilised_contacts", "next_steps"],
    )
    return {"nodes": nodes, "edges": edges, "ideas": ideas, "themes": themes_df, "votes": votes, "collectifs": collectifs}


_SHEETS = {"nodes": "net.nodes", "edges": "net.edges", "ideas": "proj.ideas", "themes": "view.themes",
           "votes": "view.votes", "collectifs": "view.collectifs", "reach": "proj.reach", "flows": "field.flows"}  # fmt: skip


def _sheet_name(name: str, lang: str) -> str:
    return t(_SHEETS.get(name, name), lang).capitalize()[:31]


_HEADERS = {"label": "field.theme", "text": "field.idea", "author": "field.name", "circle": "field.circle",
            "region": "field.region", "city": "field.city", "organisation": "field.organisation", "sector": "field.sector",
            "strength": "field.strength", "trust": "field.trust", "dormant": "field.dormant", "votes": "th.votes",
            "ideas": "th.ideas", "dots": "field.dots", "name": "field.collectif", "members": "me.members",
            "next_steps": "me.steps", "last_contact": "field.last_contact"}  # fmt: skip


def readable(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Vocabulary codes as the workshop's words for people reading the tables (family -> Famille,
    also in the reach table's circle rows); workshop.json and the graph files keep the codes."""
    out = frame.copy()
    if "circle" in out.columns:
        out["circle"] = out["circle"].map(lambda v: t(f"circle.{v}", lang) if isinstance(v, str) and v else v)
    if {"dimension", "value"} <= set(out.columns):
        rows = out["dimension"] == "circle"
        out.loc[rows, "value"] = out.loc[rows, "value"].map(lambda v: t(f"circle.{v}", lang))
    if "flow" in out.columns:
        out["flow"] = out["flow"].map(lambda v: t(f"flow.{v}", lang))
    return out


def _headers(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Readable headers in the workshop's language for the spreadsheet (CSV keeps Gephi's names)."""
    return frame.rename(columns={c: t(_HEADERS[c], lang) for c in frame.columns if c in _HEADERS})


# ---------------------------------------------------------------- import


def read_bundle(data: bytes) -> dict:
    """Open a bundle (or a bare workshop.json) and validate its payload; ImportRefused otherwise."""
    if len(data) > config.MAX_IMPORT_BYTES:
        raise ImportRefused("imp.too_big", max=config.MAX_IMPORT_BYTES // 2**20)
    raw: bytes
    if data[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                try:
                    info = zf.getinfo("workshop.json")
                except KeyError:
                    raise ImportRefused("imp.no_json") from None
                if info.file_size > config.MAX_IMPORT_BYTES:
                    raise ImportRefused("imp.too_big", max=config.MAX_IMPORT_BYTES // 2**20)
                with zf.open(info) as fh:
                    raw = fh.read(config.MAX_IMPORT_BYTES + 1)
                if len(raw) > config.MAX_IMPORT_BYTES:
                    raise ImportRefused("imp.too_big", max=config.MAX_IMPORT_BYTES // 2**20)
        except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, ValueError) as exc:
            raise ImportRefused("imp.not_zip") from exc
    elif data.lstrip()[:1] == b"{":
        raw = data
    else:
        raise ImportRefused("imp.not_zip")
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ImportRefused("imp.bad_json") from None
    return validate_payload(doc)


def _need(cond: bool, where: str) -> None:
    if not cond:
        raise ImportRefused("imp.structure", where=where)


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def validate_payload(doc: object) -> dict:
    """Check types and references of a workshop.json; returns it unchanged when sound."""
    _need(isinstance(doc, dict), "root")
    if isinstance(doc.get("format_version"), str) and doc["format_version"].strip().isdigit():
        doc = {**doc, "format_version": int(doc["format_version"])}  # "1" written by a hand-made tool
    if doc.get("format") != FORMAT or doc.get("format_version") != FORMAT_VERSION:
        found = doc.get("format_version") if doc.get("format") == FORMAT else doc.get("format")
        raise ImportRefused("imp.version", found=str(found)[:20], expected=FORMAT_VERSION)
    _need(doc.get("level") in ("full", "pseudonymised"), "level")
    w = doc.get("workshop")
    _need(isinstance(w, dict), "workshop")
    for key in ("title", "question"):
        _need(isinstance(w.get(key), str), f"workshop.{key}")
    _need(w.get("language") in LANGUAGES, "workshop.language")
    _need(_is_int(w.get("vote_dots")) and 1 <= w["vote_dots"] <= 20, "workshop.vote_dots")
    _need(isinstance(w.get("show_labels"), bool) and isinstance(w.get("anonymous"), bool), "workshop.privacy")
    _need(isinstance(w.get("settings", {}), dict), "workshop.settings")
    _need(w.get("retention_date") is None or isinstance(w.get("retention_date"), str), "workshop.retention_date")
    if isinstance(w.get("retention_date"), str):
        try:
            dt.date.fromisoformat(w["retention_date"])
        except ValueError:
            _need(False, "workshop.retention_date")
    lists = ("participants", "contacts", "ideas", "themes", "votes", "collectifs", "merges")
    for name in lists:
        _need(isinstance(doc.get(name), list) and all(isinstance(x, dict) for x in doc[name]), name)
        for row in doc[name]:
            for stamp in ("created_at", "joined_at"):
                _need(row.get(stamp) is None or isinstance(row[stamp], str), f"{name}.{stamp}")
    pids = _ids(doc["participants"], "participants")
    for p in doc["participants"]:
        _need(isinstance(p.get("display_name"), str) and 0 < len(p["display_name"]) <= 80, "participants.display_name")
        for key in ("skills_offered", "skills_sought"):
            _need(isinstance(p.get(key), list) and all(isinstance(s, str) for s in p[key]), f"participants.{key}")
        _need(isinstance(p.get("show_name"), bool) and isinstance(p.get("blocked"), bool), "participants.flags")
        _need(
            p.get("token_hash") is None or (isinstance(p["token_hash"], str) and len(p["token_hash"]) == 64),
            "participants.token_hash",
        )
    cids = _ids(doc["contacts"], "contacts")
    for c in doc["contacts"]:
        _need(_ref(c.get("participant_id"), pids), "contacts.participant_id")
        _need(c.get("circle") in CIRCLES, "contacts.circle")
        _need(isinstance(c.get("flows"), list) and all(f in FLOWS for f in c["flows"]), "contacts.flows")
        for key in ("label", "region", "city", "organisation", "sector"):
            _need(isinstance(c.get(key, ""), str), f"contacts.{key}")
        _need(c.get("strength") in (1, 2, 3) and c.get("trust") in (1, 2, 3), "contacts.scales")
        _need(isinstance(c.get("dormant"), bool), "contacts.dormant")
        _need(c.get("last_contact_year") is None or _is_int(c["last_contact_year"]), "contacts.last_contact_year")
        _need(isinstance(c.get("skills", []), list) and all(isinstance(s, str) for s in c.get("skills", [])), "contacts.skills")
    tids = _ids(doc["themes"], "themes")
    for th in doc["themes"]:
        _need(isinstance(th.get("label"), str) and isinstance(th.get("renamed", True), bool), "themes")
    _ids(doc["ideas"], "ideas")
    for i in doc["ideas"]:
        _need(_ref(i.get("participant_id"), pids) and isinstance(i.get("text"), str), "ideas")
        _need(i.get("theme_id") is None or _ref(i.get("theme_id"), tids), "ideas.theme_id")
        _need(isinstance(i.get("tags", []), list) and all(isinstance(x, str) for x in i.get("tags", [])), "ideas.tags")
        _need(isinstance(i.get("hidden", False), bool), "ideas.hidden")
    seen_votes = set()
    for v in doc["votes"]:
        _need(_ref(v.get("participant_id"), pids) and _ref(v.get("theme_id"), tids), "votes")
        _need(_is_int(v.get("dots")) and 0 <= v["dots"] <= 20, "votes.dots")
        key = (v["participant_id"], v["theme_id"])
        _need(key not in seen_votes, "votes.duplicate")
        seen_votes.add(key)
    _ids(doc["collectifs"], "collectifs")
    for col in doc["collectifs"]:
        _need(isinstance(col.get("name"), str), "collectifs.name")
        _need(col.get("theme_id") is None or _ref(col.get("theme_id"), tids), "collectifs.theme_id")
        _need(isinstance(col.get("members"), list) and all(_ref(m, pids) for m in col["members"]), "collectifs.members")
        _need(len(set(col["members"])) == len(col["members"]), "collectifs.members")
        _need(isinstance(col.get("contacts"), list) and all(_ref(c, cids) for c in col["contacts"]), "collectifs.contacts")
        _need(len(set(col["contacts"])) == len(col["contacts"]), "collectifs.contacts")
        _need(isinstance(col.get("next_steps"), list), "collectifs.next_steps")
        for s in col["next_steps"]:
            _need(isinstance(s, dict) and isinstance(s.get("text"), str), "collectifs.next_steps")
            _need(s.get("participant_id") is None or _ref(s.get("participant_id"), pids), "collectifs.next_steps.participant_id")
            _need(isinstance(s.get("owner", ""), str) and isinstance(s.get("due_date", ""), str), "collectifs.next_steps")
    for m in doc["merges"]:
        _need(m.get("kind") in ("contact", "participant") and m.get("status") in ("confirmed", "rejected"), "merges")
        _need(_ref(m.get("a_id"), cids), "merges.a_id")
        _need(_ref(m.get("b_id"), (cids if m["kind"] == "contact" else pids)), "merges.b_id")
        _need(isinstance(m.get("score", 0), (int, float)) and not isinstance(m.get("score", 0), bool), "merges.score")
    return doc


def _ref(value: object, ids: set) -> bool:
    """A reference to a known id (unhashable or boolean values are not ids)."""
    return _is_int(value) and value in ids


def _ids(items: list, where: str) -> set:
    ids = [x.get("id") for x in items]
    _need(all(_is_int(i) for i in ids), f"{where}.id")
    _need(len(set(ids)) == len(ids), f"{where}.id")
    return set(ids)


def import_bundle(
    db: Database, data: bytes, *, keep_links: bool = False, previous_id: int | None = None, into: int | None = None
) -> tuple[Workshop, str]:
    """Create a workshop from a bundle (or extend `into`), all in one transaction."""
    doc = read_bundle(data)
    token = security.new_token()
    try:
        workshop_id = store.insert_payload(
            db, doc, facilitator_token=token, keep_links=keep_links and doc["level"] == "full",
            previous_id=previous_id, into=into,
        )  # fmt: skip
    except InvalidInput as exc:
        raise ImportRefused("imp.structure", where=exc.message("en")) from exc
    except (TypeError, ValueError, KeyError, sqlite3.ProgrammingError, sqlite3.InterfaceError) as exc:
        # A value of the wrong type that the structure check let through: still all or nothing.
        raise ImportRefused("imp.structure", where=type(exc).__name__) from exc
    return store.get_workshop(db, workshop_id), token


# ---------------------------------------------------------------- series


def compare_with_previous(db: Database, workshop_id: int) -> dict | None:
    """Before/after for a workshop imported from (or following) another one."""
    prev_id = store.previous_workshop(db, workshop_id)
    if prev_id is None:
        return None
    now_room, old_room = network.load_room(db, workshop_id), network.load_room(db, prev_id)
    now_a, old_a = network.analyse(now_room), network.analyse(old_room)
    norm = network.resolve.normalise
    old_names = {norm(n) for n in old_room.participants["display_name"]}
    old_labels = {norm(x) for x in old_room.contacts["label"]} if not old_room.contacts.empty else set()
    old_bridges = {norm(b["label"]) for b in old_a["bridges"]}
    return {
        "new_participants": sorted(n for n in now_room.participants["display_name"] if norm(n) not in old_names),
        "new_contacts": int(sum(1 for x in now_room.contacts["label"] if norm(x) not in old_labels))
        if not now_room.contacts.empty
        else 0,
        "new_bridges": len([b for b in now_a["bridges"] if norm(b["label"]) not in old_bridges]),
        "reach": {k: {"before": len(old_a["reach"][k]), "after": len(now_a["reach"][k])} for k in now_a["reach"]},
        "diversity": {
            k: {"before": round(old_a["diversity"]["room"][k], 3), "after": round(now_a["diversity"]["room"][k], 3)}
            for k in ("weak", "strong", "cross_circle", "cross_region")
        },  # fmt: skip
    }


def write_bundle(db: Database, workshop_id: int, out: Path, *, level: str) -> int:
    data = bundle(db, workshop_id, level=level)
    out.write_bytes(data)
    return len(data)
