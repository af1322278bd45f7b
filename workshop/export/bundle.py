"""The ZIP a facilitator downloads after the event. One table, FORMATS, lists what goes in it:
each format names its files at a privacy level and makes them from the parts they share (the
room read once, workshop.json, the graph, the tables, the pictures), each part computed once."""

from __future__ import annotations

import functools
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from workshop import report, rooms
from workshop.engine import Database
from workshop.export.cells import csv_bytes, xlsx_bytes
from workshop.export.graphs import GraphFiles, graph_files
from workshop.export.payload import check_level, payload_of
from workshop.export.pictures import network_png, themes_png
from workshop.export.tables import TABLES, headers, readable, sheet_name, tables
from workshop.rooms import Reading


class Parts:
    """What the formats of one bundle share, each made once, when a format first asks for it."""

    def __init__(self, reading: Reading, *, level: str, positions: dict | None) -> None:
        self.reading, self.level, self.positions = reading, level, positions
        self.lang = reading.workshop.language

    @functools.cached_property
    def data(self) -> dict:
        return payload_of(self.reading, level=self.level)

    @functools.cached_property
    def graph(self) -> GraphFiles:
        return graph_files(self.reading, level=self.level, positions=self.positions)

    @functools.cached_property
    def pictures(self) -> dict[str, bytes]:
        return {
            "network.png": network_png(self.graph.graph, self.graph.positions, lang=self.lang),
            "themes.png": themes_png(self.reading.themes, lang=self.lang),
        }

    @functools.cached_property
    def tables(self) -> dict[str, pd.DataFrame]:
        made = tables(self.reading, self.data, self.graph.nodes, self.graph.edges, level=self.level)
        return {name: readable(frame, self.lang) for name, frame in made.items()}


@dataclass(frozen=True)
class Format:
    """One kind of file in the bundle."""

    step: str  # what the console's progress line says while it is made
    files: Callable[[str], tuple[str, ...]]  # its file names at a level (none: not at that level)
    make: Callable[[Parts], dict[str, bytes]]  # file name -> bytes


def _json(parts: Parts) -> dict[str, bytes]:
    return {"workshop.json": json.dumps(parts.data, ensure_ascii=False, indent=2).encode("utf-8")}


def _graphs(parts: Parts) -> dict[str, bytes]:
    return {"network.gexf": parts.graph.gexf, "network.graphml": parts.graph.graphml}


def _csv(parts: Parts) -> dict[str, bytes]:
    return {f"{name}.csv": csv_bytes(frame) for name, frame in parts.tables.items()}


def _xlsx(parts: Parts) -> dict[str, bytes]:
    sheets = {sheet_name(name, parts.lang): headers(frame, parts.lang) for name, frame in parts.tables.items()}
    return {"workshop.xlsx": xlsx_bytes(sheets)}


def _pdf(parts: Parts) -> dict[str, bytes]:
    pictures = parts.pictures
    made = report.pdf(
        parts.reading, data=parts.data, level=parts.level, network_png=pictures["network.png"], themes_png=pictures["themes.png"]
    )
    return {"report.pdf": made}


FORMATS = (
    Format("workshop.json", lambda level: ("workshop.json",), _json),
    Format("png", lambda level: ("network.png", "themes.png"), lambda parts: parts.pictures),
    # Gephi's files would name every contact's node: not in the aggregate bundle.
    Format("network", lambda level: () if level == "aggregate" else ("network.gexf", "network.graphml"), _graphs),
    Format("csv", lambda level: tuple(f"{name}.csv" for name in TABLES[level]), _csv),
    Format("xlsx", lambda level: ("workshop.xlsx",), _xlsx),
    Format("pdf", lambda level: ("report.pdf",), _pdf),
)


def members(level: str) -> tuple[str, ...]:
    """The bundle's file names at `level`, in the ZIP's order."""
    return tuple(name for fmt in FORMATS for name in fmt.files(level))


MEMBERS = members("full")


def bundle(
    db: Database,
    workshop_id: int,
    *,
    level: str = "full",
    progress: Callable[[str], None] | None = None,
    positions: dict | None = None,
) -> bytes:
    """The bundle at a privacy level: the room read once, in one snapshot, so the files agree
    with each other even while the room writes. `positions`: the wall's last layout."""
    check_level(level)
    say = progress or (lambda _step: None)
    parts = Parts(rooms.read(db, workshop_id), level=level, positions=positions)
    files: dict[str, bytes] = {}
    for fmt in FORMATS:
        names = fmt.files(level)
        if names:
            say(fmt.step)
            made = fmt.make(parts)
            files.update((name, made[name]) for name in names)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, content in files.items():
            zf.writestr(name, content)
    return buf.getvalue()


def write_bundle(db: Database, workshop_id: int, out: Path, *, level: str) -> int:
    """The bundle written to a file; returns its size in bytes."""
    data = bundle(db, workshop_id, level=level)
    out.write_bytes(data)
    return len(data)
