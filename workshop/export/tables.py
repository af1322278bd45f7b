"""The bundle's tables for people: nodes, edges, ideas, themes, votes and collectifs (or, at the
aggregate level, themes, reach and flows), with the workshop's words for codes and headers."""

from __future__ import annotations

import pandas as pd

from workshop.i18n import format_date, t
from workshop.model import EXPORT_LEVELS
from workshop.rooms import Reading

# The tables each level holds: one row per person and contact below 'aggregate', counts at it.
_PER_PERSON = ("nodes", "edges", "ties", "ideas", "themes", "votes", "collectifs")
TABLES = {level: ("themes", "reach", "flows") if level == "aggregate" else _PER_PERSON for level in EXPORT_LEVELS}


def tables(reading: Reading, data: dict, nodes: pd.DataFrame, edges: pd.DataFrame, *, level: str) -> dict[str, pd.DataFrame]:
    """The bundle's tables (CSV and spreadsheet sheets) from workshop.json at its level; their
    names are TABLES[level]."""
    w = reading.workshop
    themes_df = reading.themes[["id", "label", "ideas", "votes"]]
    if level == "aggregate":
        agg = data["aggregate"]
        return {
            "themes": themes_df.drop(columns=["id"]),
            "reach": pd.DataFrame(
                [
                    {"dimension": dim, "value": k, "count": n}
                    for dim in ("circle", "region", "sector")
                    for k, n in agg[f"reach_by_{dim}"].items()
                ]
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
        ],
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
        ],
        columns=["id", "name", "theme_id", "members", "mobilised_contacts", "next_steps"],
    )
    return {
        "nodes": nodes,
        "edges": edges,
        "ties": ties_table(data, people),
        "ideas": ideas,
        "themes": themes_df,
        "votes": votes,
        "collectifs": collectifs,
    }


def ties_table(data: dict, people: dict[int, str]) -> pd.DataFrame:
    """Who knows whom, as each participant said: one row per tie, the contacts as the level names
    them (their label in 'full', their node's pseudonym below)."""
    contact = {c["id"]: c["label"] for c in data["contacts"]}
    return pd.DataFrame(
        [
            {
                "stated_by": people.get(t["participant_id"], ""),
                "contact_a": contact[t["contact_a"]],
                "contact_b": contact[t["contact_b"]],
            }
            for t in data.get("ties", [])
        ],
        columns=["stated_by", "contact_a", "contact_b"],
    )


_SHEETS = {
    "nodes": "net.nodes",
    "edges": "net.edges",
    "ties": "net.ties_sheet",
    "ideas": "proj.ideas",
    "themes": "view.themes",
    "votes": "view.votes",
    "collectifs": "view.collectifs",
    "reach": "proj.reach",
    "flows": "field.flows",
}


def sheet_name(name: str, lang: str) -> str:
    return t(_SHEETS.get(name, name), lang).capitalize()[:31]


_HEADERS = {
    "label": "field.theme",
    "text": "field.idea",
    "author": "field.name",
    "circle": "field.circle",
    "region": "field.region",
    "city": "field.city",
    "organisation": "field.organisation",
    "sector": "field.sector",
    "strength": "field.strength",
    "trust": "field.trust",
    "dormant": "field.dormant",
    "votes": "th.votes",
    "ideas": "th.ideas",
    "dots": "field.dots",
    "name": "field.collectif",
    "members": "me.members",
    "next_steps": "me.steps",
    "last_contact": "field.last_contact",
    "stated_by": "net.stated_by",
    "contact_a": "net.contact",
    "contact_b": "net.knows",
}


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


def headers(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Readable headers in the workshop's language for the spreadsheet (CSV keeps Gephi's names)."""
    return frame.rename(columns={c: t(_HEADERS[c], lang) for c in frame.columns if c in _HEADERS})
