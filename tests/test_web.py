"""The front door (workshop/web.py) as plain ASGI: the page shell in French with the boot script,
compressed and revalidated; Streamlit's static files precompressed and cached for a year; the
room marker an idle phone polls, read from the real database and bounded."""

from __future__ import annotations

import asyncio
import gzip
from concurrent.futures import ThreadPoolExecutor

import brotli
import pytest

from workshop import store, web

INDEX = (
    '<!--\n licence\n-->\n<!DOCTYPE html>\n<html lang="en">\n<head><title>Streamlit</title>'
    '<script type="module" crossorigin src="./static/js/index.Ab12Cd34.js"></script>'
    '<link rel="modulepreload" crossorigin href="./static/js/react.Zz.js">\n'
    '<link\n rel="preload"\n href="./static/media/font.Xy.woff2"\n as="font" crossorigin />'
    '<link rel="stylesheet" crossorigin href="./static/css/index.Qq.css"></head>'
    '<body><div id="root"></div></body></html>'
)


def call(app, path: str, *, headers: dict | None = None, method: str = "GET") -> tuple[int, dict, bytes]:
    """One HTTP request through an ASGI app; (status, headers, body)."""
    scope = {
        "type": "http", "method": method, "path": path, "raw_path": path.encode(), "query_string": b"",
        "headers": [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()], "scheme": "http",
        "server": ("127.0.0.1", 80), "client": ("127.0.0.1", 1234), "root_path": "", "http_version": "1.1",
    }  # fmt: skip
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    # Its own thread and loop: the browser tests' Playwright keeps a loop running in this one.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, app(scope, receive, send)).result()
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}, body


async def streamlit_stand_in(scope, receive, send):
    """What answers behind the front door when it does not: records that it was reached."""
    await send({"type": "http.response.start", "status": 299, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"streamlit"})


@pytest.fixture
def static_root(tmp_path):
    source = tmp_path / "src"
    (source / "static" / "js").mkdir(parents=True)
    (source / "static" / "js" / "index.Ab12Cd34.js").write_text("console.log('bonjour');\n" * 400)
    (source / "static" / "media").mkdir()
    (source / "static" / "media" / "font.Xy.woff2").write_bytes(bytes(range(256)) * 8)
    return web.precompress(source=source, target=tmp_path / "cache")


def test_shell_is_french_titled_and_carries_the_boot_script():
    shell = web.build_shell(INDEX, boot_js="window.tdBoot = 1;", css=".td-x {color: red;}")
    html = shell.body.decode()
    assert '<html lang="fr">' in html and "<title>Think&Do</title>" in html
    assert "<script>window.tdBoot = 1;</script>" in html and "licence" not in html
    assert html.index("<style>.td-x {color: red;}</style>") < html.index("</head>")  # styles from the first paint
    assert 'class="td-splash"' in html and "Chargement" in html
    # Nothing is asked for before the first paint (the splash): no render-blocking stylesheet, no
    # preload; the script after the splash asks for all of them at once and starts the entry.
    start = html.index('class="td-splash"')
    for tag in ('<link rel="modulepreload"', '<link rel="preload"', '<link rel="stylesheet"', '<script type="module"'):
        assert tag not in html[:start]
    tail = html[start:]
    assert 's.src = "./static/js/index.Ab12Cd34.js"' in tail
    for tag in (
        '<link rel=\\"modulepreload\\" crossorigin href=\\"./static/js/react.Zz.js\\">',
        '<link rel=\\"preload\\" href=\\"./static/media/font.Xy.woff2\\" as=\\"font\\" crossorigin />',
        '<link rel=\\"stylesheet\\" crossorigin href=\\"./static/css/index.Qq.css\\">',
    ):
        assert tag in tail, tag
    assert brotli.decompress(shell.br) == shell.body and gzip.decompress(shell.gz) == shell.body


def test_pages_get_the_shell_compressed_then_a_304(static_root):
    door = web.FrontDoor(streamlit_stand_in, shell=web.build_shell(INDEX), static_root=static_root)
    status, headers, body = call(door, "/me", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert status == 200 and headers["content-encoding"] == "br" and headers["cache-control"] == "no-cache"
    assert b'lang="fr"' in brotli.decompress(body)
    status, headers, body = call(door, "/", headers={"Accept-Encoding": "gzip"})
    assert headers["content-encoding"] == "gzip" and b"Think&Do" in gzip.decompress(body)
    status, _, body = call(door, "/console", headers={"If-None-Match": headers["etag"]})
    assert status == 304 and body == b""
    status, headers, body = call(door, "/projector")
    assert status == 200 and "content-encoding" not in headers and b"<html" in body
    assert call(door, "/me/")[0] == 299  # Streamlit redirects it (relative paths would break)


def test_static_files_are_served_precompressed_and_kept_a_year(static_root):
    door = web.FrontDoor(streamlit_stand_in, shell=web.build_shell(INDEX), static_root=static_root)
    status, headers, body = call(door, "/static/js/index.Ab12Cd34.js", headers={"Accept-Encoding": "br, gzip"})
    assert status == 200 and headers["content-encoding"] == "br"
    assert brotli.decompress(body).startswith(b"console.log('bonjour');")
    assert "immutable" in headers["cache-control"] and "max-age=315360000" in headers["cache-control"]
    status, headers, _ = call(door, "/static/js/index.Ab12Cd34.js", headers={"Accept-Encoding": "gzip"})
    assert headers["content-encoding"] == "gzip"
    # Already compressed formats are not compressed again.
    assert not (static_root / "static" / "media" / "font.Xy.woff2.br").exists()
    # Whatever is not a page or a static file goes on to Streamlit.
    for path in ("/_stcore/health", "/media/qr.png", "/static/js/missing.js", "/favicon.png"):
        assert call(door, path)[0] == 299, path


def test_precompress_is_done_once(static_root, tmp_path):
    marker = static_root / "static" / "js" / "index.Ab12Cd34.js.br"
    before = marker.stat().st_mtime_ns
    assert web.precompress(source=tmp_path / "src", target=static_root) == static_root
    assert marker.stat().st_mtime_ns == before


@pytest.mark.sqlite_only
def test_the_marker_follows_the_rounds_and_is_read_at_most_once_a_second(db, db_path, monkeypatch):
    monkeypatch.setenv("WORKSHOP_DB", str(db_path))
    workshop, _ = store.create_workshop(db, title="Veille")
    reads = []

    def counted(code: str):
        reads.append(code)
        return web.marker_from_db(code)

    door = web.FrontDoor(streamlit_stand_in, shell=web.build_shell(INDEX), marker=counted)
    status, headers, first = call(door, f"/api/marker/{workshop.code.lower()}")
    assert status == 200 and headers["cache-control"] == "no-store" and first.decode() == store.room_marker(db, workshop.id)
    store.set_round(db, workshop.id, "contacts", is_open=True)
    assert call(door, f"/api/marker/{workshop.code}")[2] == first  # cached for a second
    assert reads == [workshop.code]
    door.markers.entries.clear()
    changed = call(door, f"/api/marker/{workshop.code}")[2]
    assert changed != first and changed.decode() == store.room_marker(db, workshop.id)
    # Unknown and malformed codes: empty answers, never an error; bounded table.
    assert call(door, "/api/marker/ZZZZZZ")[:3:2] == (200, b"")
    assert call(door, "/api/marker/../../etc")[0] == 299
    for n in range(2100):
        door.markers.entries[f"C{n:05d}"] = (0.0, None)
    call(door, "/api/marker/ABCDEF")
    assert len(door.markers.entries) <= 2001
    # A flood of random codes: at most MAX_MARKER_READS_PER_S database reads a second.
    reads.clear()
    statuses = [call(door, f"/api/marker/R{n:05d}")[0] for n in range(5 * web.MAX_MARKER_READS_PER_S)]
    assert len(reads) <= 2 * web.MAX_MARKER_READS_PER_S  # the loop may straddle a second
    assert 503 in statuses  # "ask again": a phone never takes it for a change (boot.js reads only a 200)


def test_the_marker_moves_in_the_collectifs_round_only_with_the_room(db):
    workshop, _ = store.create_workshop(db, title="Veille")
    alice = store.join(db, workshop.code, "Alice", token="tok-alice-000000000000")
    store.set_round(db, workshop.id, "contacts", is_open=True)
    before = store.room_marker(db, workshop.id)
    store.add_contact(db, alice, submission_id="s1", label="M. D.", circle="family")
    assert store.room_marker(db, workshop.id) == before  # a contact does not redraw 200 phones
    store.set_round(db, workshop.id, "collectifs", is_open=True)
    during = store.room_marker(db, workshop.id)
    assert during != before
    store.add_contact(db, alice, submission_id="s2", label="J. P.", circle="family")
    assert store.room_marker(db, workshop.id) != during


def test_the_real_shell_hides_english_hints_and_boots():
    """The shell Streamlit's own index.html becomes: our styles and boot script, in French."""
    door = web.front_door(streamlit_stand_in)
    status, _, body = call(door, "/me")
    html = body.decode()
    assert status == 200 and '<html lang="fr">' in html
    assert '[data-testid="InputInstructions"] {display: none;}' in html  # English-only "Press Enter" hint
    assert "BACKEND_BASE_URL" in html and "/api/marker/" in html  # boot script inline
    assert "Material Symbols" in html  # its icon-font preload is stopped
