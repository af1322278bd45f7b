"""The architecture as tests: one streamlit module in the package, no SQL in pages, all SQL in
the store, schema changes only through migrations."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_only_ui_imports_streamlit():
    importers = sorted(
        p.name for p in (ROOT / "workshop").glob("*.py") if re.search(r"^\s*(import|from) streamlit", p.read_text(), re.M)
    )
    assert importers == ["ui.py"]


def test_pages_have_no_sql_and_no_analysis_libraries():
    for page in (ROOT / "pages").glob("*.py"):
        text = page.read_text()
        assert not re.search(r"\b(SELECT|INSERT|UPDATE|DELETE)\b\s", text), page.name
        assert ".execute(" not in text and ".query(" not in text, page.name
        assert not re.search(r"^\s*(import|from) (sqlite3|sqlite_utils|sklearn|igraph|networkx|rapidfuzz)", text, re.M), page.name


def test_sql_lives_in_the_store_and_the_migrations():
    for module in (ROOT / "workshop").glob("*.py"):
        if module.name in ("store.py", "db.py", "engine.py"):
            continue
        text = module.read_text()
        assert not re.search(r"\"(SELECT|INSERT|UPDATE|DELETE|CREATE)\s", text), module.name


def test_no_schema_change_outside_migrations():
    for module in (ROOT / "workshop").glob("*.py"):
        if module.name == "db.py":
            continue
        text = module.read_text()
        assert "CREATE TABLE" not in text and "ALTER TABLE" not in text, module.name
        assert not re.search(r"transform=True|\]\.transform\(|\.table\([^)]*\)\.transform\(", text), module.name
