"""The architecture as tests: one streamlit module in the package, no SQL in pages, all SQL in
the store, schema changes only through migrations."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def modules():
    """Every module of the package, those inside sub-packages too (workshop/store/…)."""
    return sorted((ROOT / "workshop").rglob("*.py"))


def test_only_ui_imports_streamlit():
    importers = sorted(p.name for p in modules() if re.search(r"^\s*(import|from) streamlit", p.read_text(), re.M))
    assert importers == ["ui.py"]


def test_pages_have_no_sql_and_no_analysis_libraries():
    for page in (ROOT / "pages").glob("*.py"):
        text = page.read_text()
        assert not re.search(r"\b(SELECT|INSERT|UPDATE|DELETE)\b\s", text), page.name
        assert ".execute(" not in text and ".query(" not in text, page.name
        assert not re.search(r"^\s*(import|from) (sqlite3|sqlite_utils|sklearn|igraph|networkx|rapidfuzz)", text, re.M), page.name


def test_sql_lives_in_the_store_and_the_migrations():
    checked = 0
    for module in modules():
        if module.parent.name == "store" or module.name in ("db.py", "engine.py"):
            continue
        checked += 1
        text = module.read_text()
        assert not re.search(r"\"(SELECT|INSERT|UPDATE|DELETE|CREATE)\s", text), module.name
    assert checked >= 15


def test_no_schema_change_outside_migrations():
    for module in modules():
        if module.name == "db.py":
            continue
        text = module.read_text()
        assert "CREATE TABLE" not in text and "ALTER TABLE" not in text, module.name
        assert not re.search(r"transform=True|\]\.transform\(|\.table\([^)]*\)\.transform\(", text), module.name


def test_the_store_is_split_by_aggregate_and_its_modules_import_one_way():
    """Each aggregate module imports only base and aggregates listed before it: no import loop."""
    order = ["base", "workshops", "rounds", "participants", "contacts", "ideas", "themes", "votes",
             "collectifs", "merges", "counters", "retention", "transfer"]  # fmt: skip
    found = sorted(p.stem for p in (ROOT / "workshop" / "store").glob("*.py") if p.stem != "__init__")
    assert found == sorted(order)
    for position, name in enumerate(order):
        text = (ROOT / "workshop" / "store" / f"{name}.py").read_text()
        for used in re.findall(r"^from workshop\.store\.(\w+) import", text, re.M):
            assert order.index(used) < position, f"{name} imports {used}"


def test_the_projector_draws_every_view_the_console_offers():
    """A new projector view is one entry in model.PROJECTOR_VIEWS and one in the page's VIEWS."""
    import ast

    from workshop.model import PROJECTOR_VIEWS

    tree = ast.parse((ROOT / "pages" / "projector.py").read_text())
    tables = [node.value for node in ast.walk(tree)
              if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == "VIEWS"]  # fmt: skip
    assert len(tables) == 1 and isinstance(tables[0], ast.Dict)
    assert [key.value for key in tables[0].keys] == list(PROJECTOR_VIEWS)
