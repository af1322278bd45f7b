"""The front door (workshop/web.py) through Starlette's TestClient: the page shell in French with the boot script,
compressed and revalidated; Streamlit's static files precompressed and cached for a year; the
room marker an idle phone polls, read from the real database and bounded."""

from __future__ import annotations

import gzip
import re
from urllib.parse import urlencode

import brotli
import pytest
from starlette.testclient import TestClient

from workshop import store, web

INDEX = (
    '<!--\n licence\n-->\n<!DOCTYPE html>\n<html lang="en">\n<head><title>Streamlit</title>'
    '<script type="module" crossorigin src="./static/js/index.Ab12Cd34.js"></script>'
    '<link rel="modulepreload" crossorigin href="./static/js/react.Zz.js">\n'
    '<link\n rel="preload"\n href="./static/media/font.Xy.woff2"\n as="font" crossorigin />'
    '<link rel="stylesheet" crossorigin href="./static/css/index.Qq.css"></head>'
    '<body><div id="root"></div></body></html>'
)


def call(app, path: str, *, headers: dict | None = None, method: str = "GET", body: bytes = b"") -> tuple[int, dict, bytes]:
    """One HTTP request through an ASGI app with Starlette's TestClient (`path` may carry a
    query); (status, headers, the body's bytes as sent: still compressed, redirects not followed)."""
    client = TestClient(app, base_url="http://127.0.0.1", headers={"accept-encoding": "identity"}, follow_redirects=False)
    with client.stream(method, path, headers=headers or {}, content=body or None) as response:
        raw = b"".join(response.iter_raw())
        return response.status_code, dict(response.headers), raw


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
    status, headers, body = call(door, "/console", headers={"Accept-Encoding": "gzip"})
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
    assert call(door, "/api/marker/..%2F..%2Fetc")[0] == 299  # not a code: on to Streamlit
    for n in range(2100):
        door.markers.entries[f"C{n:05d}"] = (0.0, None)
    call(door, "/api/marker/ABCDEF")
    assert len(door.markers.entries) <= 2001
    # A flood of random codes: at most MAX_MARKER_READS_PER_S database reads a second.
    reads.clear()
    door.markers.clock = lambda: 1000.5  # one frozen second: a slow machine must not widen the budget
    statuses = [call(door, f"/api/marker/R{n:05d}")[0] for n in range(5 * web.MAX_MARKER_READS_PER_S)]
    assert len(reads) == web.MAX_MARKER_READS_PER_S
    door.markers.clock = lambda: 1001.5  # the next second: a fresh budget
    assert call(door, "/api/marker/R99999")[0] == 200 and len(reads) == web.MAX_MARKER_READS_PER_S + 1
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


def test_the_join_page_prefetches_the_widgets_of_the_personal_pages_first_view(tmp_path):
    """The contact form's widget chunks and what they import (Streamlit fetches them only after
    its first messages, a round trip per wave of imports on a weak Wi-Fi), never twice, never a
    file outside the frontend's folder, and nothing for a widget this Streamlit does not ship."""
    js = tmp_path / "static" / "js"
    js.mkdir(parents=True)
    files = {
        "TextInput.Aa1.js": 'import{a}from"./Input.Bb2.js";import"./shared.Cc3.js";',
        "Input.Bb2.js": 'import{b}from"./shared.Cc3.js";import{c}from"./index.Ab12Cd34.js";',
        "shared.Cc3.js": 'import{x}from"../../secret.js";',
        "Button.Dd4.js": "export const b=1;",
        "ButtonGroupish.Ee5.js": "export const not_a_widget=1;",
        "Unused.Ff6.js": 'import"./TextInput.Aa1.js";',
        "index.Ab12Cd34.js": "",
    }
    for name, text in files.items():
        (js / name).write_text(text)
    found = web.widget_chunks(tmp_path, ("TextInput", "Button", "ButtonGroup"), besides=("/static/js/index.Ab12Cd34.js",))
    assert found == (
        "/static/js/Button.Dd4.js",
        "/static/js/Input.Bb2.js",
        "/static/js/TextInput.Aa1.js",
        "/static/js/shared.Cc3.js",
    )
    # Streamlit's own frontend: the text input's chunk reaches the join page's prefetch.
    door = web.front_door(streamlit_stand_in)
    real = web.widget_chunks(web.streamlit_static_dir())
    assert any(p.startswith("/static/js/TextInput.") for p in real) and len(real) >= 5
    assert all(f'href=\\"{p}\\"' in door.prefetch for p in real if p not in door.shell.assets)


def names(db, workshop) -> list[str]:
    return list(store.participants_frame(db, workshop.id)["display_name"])


def join_door(database: str):
    return web.FrontDoor(streamlit_stand_in, shell=web.build_shell(INDEX), desk=web.JoinDesk(database))


def post_join(door, fields: dict, **headers) -> tuple[int, dict, bytes]:
    return call(
        door,
        "/join",
        method="POST",
        body=urlencode(fields).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Host": "salle.local:8501"} | headers,
    )


def test_the_qr_link_opens_a_plain_join_page_in_the_room_language(db, database):
    workshop, _ = store.create_workshop(db, title="Atelier <script>alert(1)</script>", question="Quoi ?\nComment ?")
    door = join_door(database)
    status, headers, body = call(door, f"/?code={workshop.code.lower()}", headers={"Accept-Encoding": "br"})
    page = brotli.decompress(body).decode()
    assert status == 200 and headers["cache-control"] == "no-store"  # it holds a fresh token
    assert '<html lang="fr">' in page and "<script>alert" not in page and "<script src" not in page
    # No frontend: once loaded, the page only fetches its files for the personal page, into the cache.
    assert page.count("<script>") == 1 and 'rel=\\"prefetch\\" href=\\"/static/js/index.Ab12Cd34.js\\"' in page
    assert "addEventListener('load'" in page
    assert "Atelier &lt;script&gt;alert(1)&lt;/script&gt;" in page and "Quoi ?\nComment ?" in page
    assert '<label for="name">Votre prénom ou pseudonyme</label>' in page and "Avant de commencer" in page
    assert "<strong>initiales ou un pseudonyme</strong>" in page  # the notice's emphasis, as HTML
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    assert re.fullmatch(r"[A-Za-z0-9_-]{32}", token)
    other = re.search(r'name="token" value="([^"]+)"', call(door, f"/?code={workshop.code}")[2].decode()).group(1)
    assert other != token  # one per page shown
    english = call(door, f"/?code={workshop.code}&lang=en")[2].decode()
    assert '<html lang="en">' in english and "Your first name or a pseudonym" in english
    assert 'href="/?code=' + workshop.code + '&amp;lang=fr"' in english  # back to French
    # Anything else is the plain home page, which says what is wrong with the code.
    for path in ("/?code=ZZZZZZ", "/?code=../x"):
        page = call(door, path)[2].decode()
        assert 'id="root"' not in page and 'role="alert">Aucun atelier ne porte ce code' in page, path
    assert 'role="alert"' not in call(door, "/")[2].decode()


def test_the_join_form_joins_once_and_opens_the_personal_page(db, database):
    workshop, _ = store.create_workshop(db, title="Atelier", language="fr")
    door = join_door(database)
    token = "T" * 32
    fields = {"code": workshop.code, "name": "Inès", "token": token, "lang": "fr"}
    for _ in range(2):  # a double tap
        status, headers, _ = post_join(door, fields, Origin="http://salle.local:8501", **{"Sec-Fetch-Site": "same-origin"})
        assert status == 303 and headers["location"] == f"/me?p={token}&welcome=1"
    assert names(db, workshop) == ["Inès"]
    assert store.participant_by_token(db, token)[1].display_name == "Inès"
    # A language chosen on the join page goes on to the personal page.
    status, headers, _ = post_join(door, fields | {"token": "U" * 32, "name": "Ana", "lang": "en"})
    assert headers["location"] == f"/me?p={'U' * 32}&welcome=1&lang=en"
    # A token that is not one of ours is replaced (nobody picks a guessable personal link).
    status, headers, _ = post_join(door, fields | {"token": "short", "name": "Léo"})
    assert status == 303 and "p=short" not in headers["location"]
    assert len(names(db, workshop)) == 3


def test_the_join_form_says_what_is_wrong_and_keeps_what_was_typed(db, database):
    workshop, _ = store.create_workshop(db, title="Atelier")
    door = join_door(database)
    fields = {"code": workshop.code, "name": "   ", "token": "V" * 32, "lang": "en"}
    status, _, body = post_join(door, fields)
    page = body.decode()
    assert status == 200 and '<html lang="en">' in page and 'role="alert"' in page and "is empty" in page
    hostile = '"><img src=x onerror=alert(1)>' + "x" * 10
    page = post_join(door, fields | {"name": hostile * 3, "lang": "fr"})[2].decode()
    assert 'role="alert"' in page and "<img" not in page and 'value="&quot;&gt;&lt;img' in page  # kept, as text
    store.update_workshop(db, workshop.id, join_locked=True)
    page = post_join(door, fields | {"name": "Tard"})[2].decode()
    assert 'role="alert"' in page and names(db, workshop) == []
    # An unknown code: the home page, which says so, with the code and the name kept.
    status, _, body = post_join(door, fields | {"code": "zzzzzz", "name": "Tard"})
    page = body.decode()
    assert status == 200 and '<html lang="en">' in page and 'role="alert">No workshop has this code' in page
    assert 'name="code" value="ZZZZZZ"' in page and 'name="name" value="Tard"' in page


def test_the_join_form_refuses_other_sites_and_long_bodies(db, database):
    workshop, _ = store.create_workshop(db, title="Atelier")
    door = join_door(database)
    fields = {"code": workshop.code, "name": "Mallory", "token": "W" * 32, "lang": "fr"}
    assert post_join(door, fields, Origin="https://evil.example")[0] == 403
    assert post_join(door, fields, **{"Sec-Fetch-Site": "cross-site"})[0] == 403
    assert post_join(door, fields | {"name": "x" * 5000})[0] == 413
    assert names(db, workshop) == []


def test_a_join_for_a_host_name_this_laptop_does_not_answer_to_is_refused(db, database, monkeypatch):
    """DNS rebinding: a page on another site's name, pointed at the laptop, posts a join from a
    participant's browser (same origin as far as the browser knows). Failing before: 303, joined."""
    monkeypatch.setenv("WORKSHOP_PUBLIC_URL", "http://atelier.example.org:8501")
    monkeypatch.setenv("WORKSHOP_ALLOWED_HOSTS", "salle.local, mon-atelier.fr")
    workshop, _ = store.create_workshop(db, title="Atelier")
    door = join_door(database)
    fields = {"code": workshop.code, "name": "Mallory", "token": "R" * 32, "lang": "fr"}
    rebinding = {"Host": "rebind.evil.example:8501", "Origin": "http://rebind.evil.example:8501", "Sec-Fetch-Site": "same-origin"}
    status, _, body = post_join(door, fields, **rebinding)
    assert status == 403 and "Adresse non reconnue" in body.decode()
    assert names(db, workshop) == []
    for n, host in enumerate(("192.168.1.20:8501", "[fe80::1]:8501", "localhost:8501", "atelier.example.org", "mon-atelier.fr")):
        ok = {"Host": host, "Origin": f"http://{host}", "Sec-Fetch-Site": "same-origin"}
        assert post_join(door, fields | {"name": f"Invité {n}", "token": f"{n}" * 32}, **ok)[0] == 303, host
    assert len(names(db, workshop)) == 5


def test_a_flood_of_random_codes_costs_the_database_a_bounded_number_of_reads(db, database, monkeypatch):
    """Whatever the addresses (the per-address probe limit opened wide here): a second's reads."""
    from workshop import security

    monkeypatch.setattr(security, "code_probe_throttle", security.Throttle(limit=100_000, window=600.0))
    workshop, _ = store.create_workshop(db, title="Atelier")
    reads = []

    class CountedDesk(web.JoinDesk):
        def workshop(self, code):
            reads.append(code)
            return super().workshop(code)

    door = web.FrontDoor(streamlit_stand_in, shell=web.build_shell(INDEX), desk=CountedDesk(database))
    for _ in range(3):  # 200 phones opening the QR in the same second: one read
        assert call(door, f"/?code={workshop.code}")[0] == 200
    assert reads == [workshop.code]
    reads.clear()
    door.workshops.clock = lambda: 1000.5  # one frozen second: a slow machine must not widen the budget
    pages = [call(door, f"/?code=R{n:05d}")[2] for n in range(3 * web.MAX_MARKER_READS_PER_S)]
    assert len(reads) == web.MAX_MARKER_READS_PER_S
    assert all(b'role="alert"' in page for page in pages)  # over the budget: "try again", never a crash


def test_the_home_page_is_plain_html_and_joins_with_a_typed_code(db, database):
    """A phone typing the code loads a few KB and no Streamlit session: the form posts to /join."""
    workshop, _ = store.create_workshop(db, title="Atelier du jour", language="fr")
    door = join_door(database)
    status, headers, body = call(door, "/", headers={"Accept-Encoding": "br"})
    page = brotli.decompress(body).decode()
    assert status == 200 and headers["cache-control"] == "no-store" and len(body) < 6_000
    assert '<html lang="fr">' in page and 'id="root"' not in page
    assert '<form method="post" action="/join">' in page and '<label for="code">Code de l&#x27;atelier</label>' in page
    assert '<a href="/new?lang=fr">Créer un atelier</a>' in page and "Avant de commencer" in page
    assert "prefetch" in page  # the personal page's files, fetched while the person types
    assert "Atelier de démonstration" not in page  # the demo's links are for the laptop itself
    english = call(door, "/?lang=en")[2].decode()
    assert '<html lang="en">' in english and 'href="/new?lang=en">Create a workshop</a>' in english
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    fields = {"code": workshop.code.lower(), "name": "Nadia", "token": token, "lang": "fr"}
    status, headers, _ = post_join(door, fields)
    assert status == 303 and headers["location"] == f"/me?p={token}&welcome=1"
    assert names(db, workshop) == ["Nadia"]


def test_typed_codes_from_one_address_are_slowed_past_the_probe_limit(db, database, monkeypatch):
    """Unknown codes typed on the home page are counted per address (as the Streamlit pages
    count them); past the limit the page says to wait and reads nothing more. Failing before:
    the front door answered every code."""
    from workshop import security

    monkeypatch.setattr(security, "code_probe_throttle", security.Throttle(limit=3, window=600.0))
    workshop, _ = store.create_workshop(db, title="Atelier")
    door = join_door(database)
    pages = [call(door, f"/?code=Q{n:05d}")[2].decode() for n in range(4)]
    assert all("Aucun atelier ne porte ce code" in page for page in pages[:3])
    assert "Beaucoup de codes inconnus" in pages[3]
    status, _, body = call(door, f"/?code={workshop.code}")
    assert status == 429 and "Beaucoup de codes inconnus" in body.decode()  # even a real one waits


@pytest.mark.sqlite_only
def test_the_home_page_offers_the_demo_to_the_laptop_only(tmp_path, monkeypatch):
    from workshop import demo

    database = str(tmp_path / "salle.db")
    monkeypatch.setenv("WORKSHOP_DB", database)
    links = demo.seed_database(database, participants=3, with_themes=False)
    door = web.FrontDoor(streamlit_stand_in, shell=web.build_shell(INDEX), desk=web.JoinDesk(database))
    local = TestClient(door, base_url="http://127.0.0.1:8501", client=("127.0.0.1", 50000)).get("/").text
    assert "Atelier de démonstration" in local and f'href="/?code={links["code"]}"' in local
    assert links["facilitator_url"].split("/console?", 1)[1].replace("&", "&amp;") in local  # its console, key included
    phone = TestClient(door, base_url="http://192.168.1.20:8501", client=("192.168.1.34", 50000)).get("/").text
    assert "Atelier de démonstration" not in phone and "/console?" not in phone
