"""The architecture as tests: one streamlit module in the package, no SQL in pages, all SQL in
the store, schema changes only through migrations."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def modules():
    """Every module of the package, those inside sub-packages too (workshop/store/…)."""
    return sorted((ROOT / "workshop").rglob("*.py"))


def test_only_ui_imports_streamlit():
    """The wire-protocol client (stclient: the laptop command's warm-up, the load test) reads
    Streamlit's protobuf messages only, never its runtime; the launcher (launch.py) starts
    Streamlit's command line with the server's bounds, and nothing imports it."""
    importers = {
        p.parent.name if p.parent.name == "ui" else p.name
        for p in modules()
        if re.search(r"^\s*(import|from) streamlit(?!\.proto\b)", p.read_text(), re.M)
    }
    assert importers == {"ui", "launch.py"}
    assert not [
        p.name
        for p in modules()
        if re.search(r"^\s*(from workshop import .*\blaunch\b|import workshop\.launch)", p.read_text(), re.M)
    ]
    protocol = sorted(p.name for p in modules() if re.search(r"^\s*from streamlit\.proto\b", p.read_text(), re.M))
    assert protocol == ["stclient.py"]


def test_pages_have_no_sql_and_no_analysis_libraries():
    for page in (ROOT / "pages").glob("*.py"):
        text = page.read_text()
        assert not re.search(r"\b(SELECT|INSERT|UPDATE|DELETE)\b\s", text), page.name
        assert ".execute(" not in text and ".query(" not in text, page.name
        assert not re.search(r"^\s*(import|from) (sqlite3|sqlite_utils|sklearn|igraph|networkx|rapidfuzz)", text, re.M), page.name


# What a page may import from the package: the ui door, the vocabulary, the catalogue and errors,
# and pure drawing helpers (charts, the wall's pages, links, the map, constants from config).
PAGE_IMPORTS = {"ui", "model", "i18n", "errors", "charts", "wall", "links", "regions_map", "config"}


def test_pages_lay_out_and_reach_the_domain_only_through_ui():
    """No page holds a database connection or calls the store, the engine, the analysis or the
    export itself: it reads through ui readings and writes through ui.command / ui.run."""
    for page in [*(ROOT / "pages").glob("*.py"), ROOT / "app.py"]:
        text = page.read_text()
        used = set(re.findall(r"^from workshop\.(\w+)", text, re.M))
        for line in re.findall(r"^from workshop import (.+)$", text, re.M):
            used |= {name.strip().split(" as ")[0] for name in line.split(",")}
        assert used <= PAGE_IMPORTS, (page.name, used - PAGE_IMPORTS)
        assert "get_db" not in text and "import workshop" not in text, page.name


def test_pages_define_no_class():
    """A page script runs again at every rerun of every phone: a class defined there (a dataclass
    generates its methods with exec, ~1 ms) is paid each time; records live in the package."""
    for page in [*(ROOT / "pages").glob("*.py"), ROOT / "app.py"]:
        tree = ast.parse(page.read_text())
        assert not [node.name for node in ast.walk(tree) if isinstance(node, ast.ClassDef)], page.name


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
    order = [
        "base",
        "workshops",
        "rounds",
        "participants",
        "contacts",
        "ties",
        "ideas",
        "themes",
        "votes",
        "collectifs",
        "merges",
        "counters",
        "retention",
        "transfer",
    ]
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
    tables = [
        node.value for node in ast.walk(tree) if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == "VIEWS"
    ]
    assert len(tables) == 1 and isinstance(tables[0], ast.Dict)
    assert [key.value for key in tables[0].keys] == list(PROJECTOR_VIEWS)


def _imports_at_load(module: Path) -> set[str]:
    """The workshop modules a module imports when it loads (top-level statements only: an import
    inside a function runs later and cannot make a loop at load time, but is still checked below)."""
    import ast

    names = set()
    for node in ast.walk(ast.parse(module.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("workshop"):
            base = node.module
            names |= {f"{base}.{a.name}" if base == "workshop" else base for a in node.names}
        elif isinstance(node, ast.Import):
            names |= {a.name for a in node.names if a.name.startswith("workshop")}
    return names


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_the_package_has_no_import_loop():
    """Dependencies go one way across the whole package (imports inside functions included):
    export → report → rooms → network/themes → store, never back."""
    import graphlib

    known = {_module_name(p) for p in modules()}
    graph = {}
    for path in modules():
        name = _module_name(path)
        used = set()
        for imported in _imports_at_load(path):
            while imported not in known and "." in imported:
                imported = imported.rsplit(".", 1)[0]
            if imported in known and imported != name:
                used.add(imported)
        graph[name] = used
    order = list(graphlib.TopologicalSorter(graph).static_order())  # CycleError names the loop
    assert order.index("workshop.store") < order.index("workshop.rooms") < order.index("workshop.report")
    assert order.index("workshop.report") < order.index("workshop.export.bundle")
    for pure in ("workshop.network", "workshop.themes", "workshop.resolve"):
        assert "workshop.store" not in graph[pure] and "workshop.rooms" not in graph[pure], pure


def test_config_is_the_only_reader_of_the_environment():
    """Settings are read at call time in one place (an import-time read would freeze a setting
    that a test, a laptop command or AppTest changes later)."""
    readers = sorted(
        p.name
        for p in modules()
        if p.name != "config.py" and re.search(r"os\.environ\.get\(|os\.getenv\(|environ\[\"[^\"]*\"\](?!\s*=)", p.read_text())
    )
    assert readers == []


def test_analysis_returns_data_and_never_chooses_words():
    """network, wall, themes and resolve return data and model.Words; ui, the report and the
    export say them in a language (i18n.say)."""
    for name in ("network", "wall", "themes", "resolve"):
        text = (ROOT / "workshop" / f"{name}.py").read_text()
        assert not re.search(r"^\s*(from workshop\.i18n|from workshop import [^\n]*\bi18n\b)", text, re.M), name


def test_store_modules_share_no_private_helpers():
    """What the store's modules share is named (store/base.py and each aggregate's public
    helpers); a `_name` stays inside its module."""
    for module in (ROOT / "workshop" / "store").glob("*.py"):
        for names in re.findall(r"^from workshop\.store\.\w+ import \(?([^)\n]+)", module.read_text(), re.M):
            assert not [n for n in names.split(",") if n.strip().startswith("_")], (module.name, names)


def test_pages_stay_thin_and_ui_modules_small():
    """Pages lay out (half of the 1,598 lines they had before the ui package); each ui module
    has one job and stays readable."""
    page_lines = sum(len(p.read_text().splitlines()) for p in (ROOT / "pages").glob("*.py"))
    assert page_lines <= 799, page_lines
    large = {p.name: n for p in (ROOT / "workshop" / "ui").glob("*.py") if (n := len(p.read_text().splitlines())) > 250}
    assert not large, large
