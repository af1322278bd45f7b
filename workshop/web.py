"""The app's front door, on Starlette's router, requests and responses (no streamlit import):
Streamlit's static files served
precompressed (brotli or gzip, cached for a year), and the page shell in the room's language
with the app's small boot script inline (workshop/static/boot.js).

Why: Streamlit skips compression of its static files on purpose, so 200 phones fetched 4.45 MB
each uncompressed on one Wi-Fi; its page shell says `lang="en"` on French pages; and a page at
`/me` first probes `/me/_stcore/health` (a 404) before the root's (the boot script points the
frontend at the root).
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import importlib.metadata
import importlib.util
import ipaddress
import json
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import brotli
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route, Router

from workshop import config, createpage, demo, homepage, i18n, joinpage, security
from workshop.errors import InvalidInput, NotFound, SlowDown, WorkshopError
from workshop.model import LIMITS, Workshop

BROTLI_QUALITY = 9  # measured: q9 is 25x faster than q11 and 8% larger
COMPRESSIBLE = (".js", ".css", ".svg", ".json", ".html", ".txt", ".ttf", ".map")
BOOT_JS = Path(__file__).resolve().parent / "static" / "boot.js"
APP_CSS = Path(__file__).resolve().parent / "static" / "app.css"
_PAGE = re.compile(r"^/(?:[A-Za-z0-9_-]+)?$")  # "/me/" is Streamlit's to redirect: its relative paths differ
_CODE = re.compile(r"^[A-Za-z0-9]{4,12}$")
ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]  # a route decides what it answers
LOCAL_ADDRESSES = ("127.0.0.1", "::1", "local")  # a browser on the laptop itself (the demo's links, no probe count)
MAX_FORM_BYTES = 4096  # the join form is a code, a name, a token and a language
MAX_CREATION_BYTES = 96 * 1024  # the creation form: a few fields and a template (templates.MAX_BYTES, 64 KB)
MARKER_TTL_S = 1.0  # a workshop's marker is read from the database at most once a second
MAX_MARKER_READS_PER_S = 50  # database reads for codes not in the cache: a stranger's random codes cost no more


def _connection(database: str | None = None):
    """A connection from this process's pool (the app's database unless told)."""
    from workshop import db as dbmod

    return dbmod.shared_pool(database or config.database()).connection()


def marker_from_db(code: str) -> str | None:
    """The room marker of a workshop (store.room_marker), None for an unknown code."""
    from workshop import store

    try:
        with _connection() as conn:
            return store.room_marker(conn, store.workshop_by_code(conn, code).id)
    except WorkshopError:
        return None


class JoinDesk:
    """What the plain-HTML join page needs from the database (workshop/joinpage.py)."""

    def __init__(self, database: str | None = None) -> None:
        self.database = database  # None: the app's (config.database()), read when first needed

    def workshop(self, code: str):
        """The workshop with this code, None if there is none."""
        from workshop import store

        try:
            with _connection(self.database) as conn:
                return store.workshop_by_code(conn, code)
        except WorkshopError:
            return None

    def join(self, code: str, name: str, token: str) -> None:
        """Join (store.join: the same token twice joins once); raises WorkshopError."""
        from workshop import store

        with _connection(self.database) as conn:
            store.join(conn, code, name, token=token)


class CreationDesk:
    """What the creation page needs from the database: the host's key, the same form posted
    twice creates once, the per-address and global creation limits, and one creation at a time
    (a flood queues behind it instead of taking every worker thread)."""

    def __init__(self, database: str | None = None) -> None:
        self.database = database
        self.lock = threading.Lock()

    def create(self, *, client: str, key: str, token: str, template: bytes | None, **fields) -> Workshop:
        """The workshop `token` opens, created from `fields` (or `template`) if it is new; raises
        WorkshopError (a wrong key, too many creations, a refused field or template)."""
        from workshop import store, templates

        security.check_creation_key(key, client=client, limiter=security.creation_key_limiter)
        with _connection(self.database) as conn:
            made = store.workshop_by_facilitator_token(conn, token)
        if made is not None:
            return made  # a double click, a reload: the first post's workshop
        # A typo is said before the limit counts the attempt (a template brings its own fields,
        # a title typed over it wins).
        prepared = templates.from_json(template) if template is not None else None
        if prepared is not None:
            fields = {
                "title": fields["title"].strip() or prepared.title,
                "language": prepared.language,
                "question": prepared.question,
                "retention_days": prepared.retention_days,
            }
        store.clean_new_workshop(**fields)
        wait = security.create_throttle.allow(client)
        if wait > 0:
            raise SlowDown("err.too_fast", seconds=int(wait) + 1)
        with self.lock, _connection(self.database) as conn:
            made = store.workshop_by_facilitator_token(conn, token)  # its twin may have just made it
            if made is not None:
                return made
            if prepared is not None:
                return templates.start(conn, prepared, title=fields["title"], token=token)[0]
            return store.create_workshop(conn, token=token, **fields)[0]


class CodeCache:
    """What the database says about a workshop code (its room marker, its workshop), each kept
    MARKER_TTL_S: 200 phones polling every 5 s cost one read a second. Bounded: unknown codes
    are cached too, the table is emptied past 2,000, and at most MAX_MARKER_READS_PER_S database
    reads a second are made whatever is asked."""

    def __init__(
        self, lookup: Callable[[str], str | None], *, ttl: float = MARKER_TTL_S, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.lookup, self.ttl, self.clock = lookup, ttl, clock
        self.entries: dict[str, tuple[float, str | None]] = {}
        self.reads_second, self.reads = 0, 0

    BUSY = object()  # over the read budget: asked again later, never taken for a change

    async def get(self, code: str):
        """The marker, None for an unknown code, or BUSY."""
        now = self.clock()
        hit = self.entries.get(code)
        if hit and now - hit[0] < self.ttl:
            return hit[1]
        second = int(now)
        self.reads = self.reads + 1 if second == self.reads_second else 1
        self.reads_second = second
        if self.reads > MAX_MARKER_READS_PER_S:
            return hit[1] if hit else self.BUSY  # over budget: the last known answer, or "ask again"
        value = await asyncio.to_thread(self.lookup, code)
        if len(self.entries) > 2000:
            self.entries.clear()
        self.entries[code] = (now, value)
        return value


def streamlit_static_dir() -> Path:
    """Streamlit's frontend files, found without importing streamlit."""
    spec = importlib.util.find_spec("streamlit")
    if spec is None or spec.origin is None:
        raise RuntimeError("streamlit is not installed")
    return Path(spec.origin).parent / "static"


def static_cache_dir() -> Path:
    """Where the precompressed copy of the frontend lives, one folder per Streamlit version."""
    version = importlib.metadata.version("streamlit")
    base = config.static_cache_base()
    return base / f"static-{version}-br{BROTLI_QUALITY}"


def _compress_file(path: Path) -> None:
    data = path.read_bytes()
    for suffix, packed in ((".br", brotli.compress(data, quality=BROTLI_QUALITY)), (".gz", gzip.compress(data, 9, mtime=0))):
        if len(packed) < 0.95 * len(data):
            path.with_name(path.name + suffix).write_bytes(packed)


def precompress(*, source: Path | None = None, target: Path | None = None) -> Path:
    """Copy the frontend's files once and write .br and .gz beside each compressible one; cheap
    when already done (the folder is complete only once renamed into place)."""
    source = source or streamlit_static_dir()
    target = target or static_cache_dir()
    if (target / "static").is_dir():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".static-", dir=target.parent))
    try:
        shutil.copytree(source / "static", work / "static")
        files = [p for p in (work / "static").rglob("*") if p.is_file() and p.suffix in COMPRESSIBLE]
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:  # brotli releases the GIL
            list(pool.map(_compress_file, files))
        try:
            work.rename(target)
        except OSError:  # another process finished first
            shutil.rmtree(work, ignore_errors=True)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return target


SPLASH = (
    '<div class="td-splash" role="status"><p class="td-splash-name">Think&amp;Do</p>'
    '<p class="td-splash-text">Chargement de l\u2019atelier\u2026 \u00b7 Loading\u2026</p></div>'
)


PRELOADS_PER_TASK = 4  # tags added to the page per task (see _insert_in_batches)
# Tags of Streamlit's index.html that would make the first paint wait (the stylesheet) or start
# downloads the first paint does not need (preloads).
_DEFERRED_TAG = r'<link\s+rel="(?:modulepreload|preload|stylesheet)"[^>]*>'


def _insert_in_batches(tags: list[str], *, when: str, then: str = "") -> str:
    """Script that adds `tags` to the page's head a few per task, then runs `then`; it starts
    after the first paint (when="paint"; after 200 ms in a tab opened in the background, which
    paints no frame) or once the page has loaded (when="load"). Each request costs the main
    thread ~1 ms (4 ms on a slow phone): ~60 in one task held it 250 ms."""
    chunks = [tags[i : i + PRELOADS_PER_TASK] for i in range(0, len(tags), PRELOADS_PER_TASK)]
    batches = json.dumps(["".join(" ".join(tag.split()) for tag in chunk) for chunk in chunks]).replace("</", "<\\/")
    trigger = {
        "paint": "requestAnimationFrame(() => setTimeout(start, 0)); setTimeout(start, 200);",
        "load": "addEventListener('load', () => setTimeout(start, 0));",
    }[when]
    return (
        "(() => {let started = false; const batches = " + batches + ";"
        " const next = () => {const html = batches.shift();"
        " if (html !== undefined) {document.head.insertAdjacentHTML('afterbegin', html); setTimeout(next, 0); return;}"
        f" {then}}}; const start = () => {{if (!started) {{started = true; next();}}}}; {trigger}}})();"
    )


def _start_script(entry: str, tags: list[str]) -> str:
    """Script that asks for the deferred tags and starts the entry module after the first paint."""
    start_entry = (
        "const s = document.createElement('script'); s.type = 'module'; s.crossOrigin = '';"
        f" s.src = {json.dumps(entry)}; document.head.appendChild(s);"
    )
    return _insert_in_batches(tags, when="paint", then=start_entry)


# The widgets the personal page's first view draws (the contact form: text input, circle pills,
# buttons, switches, HTML): Streamlit loads their chunks only once its first messages arrived,
# in two or three waves of imports, each a round trip on a weak Wi-Fi (150 ms, slowed 4x by the
# phone's CPU). Fetched while the person types their name: 27 files, 32 KB brotli (Streamlit
# 1.67).
FIRST_VIEW_WIDGETS = ("TextInput", "Button", "ButtonGroup", "Checkbox", "Html")
_IMPORT = re.compile(r'(?:from|import)\s*"\./([\w.-]+\.js)"')


def widget_chunks(
    static_root: Path, widgets: tuple[str, ...] = FIRST_VIEW_WIDGETS, *, besides: tuple[str, ...] = ()
) -> tuple[str, ...]:
    """The frontend's files (paths as the page asks for them) that `widgets` import, directly or
    not, except those in `besides`; sorted. A widget this Streamlit does not ship adds nothing."""
    folder = static_root / "static" / "js"
    todo = [p.name for w in widgets for p in folder.glob(f"{w}.*.js") if re.fullmatch(rf"{re.escape(w)}\.[\w-]+\.js", p.name)]
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen or not (folder / name).is_file():
            continue
        seen.add(name)
        todo += _IMPORT.findall((folder / name).read_text(encoding="utf-8", errors="replace"))
    return tuple(sorted(path for path in (f"/static/js/{n}" for n in seen) if path not in besides))


def prefetch_script(paths: tuple[str, ...]) -> str:
    """Script for the join page: once it has loaded, fetch the frontend's files into the cache
    (the personal page the person goes to next then opens from it)."""
    tags = [f'<link rel="prefetch" href="{path}" crossorigin>' for path in paths if re.fullmatch(r"/static/[\w./-]+", path)]
    return _insert_in_batches(tags, when="load")


@dataclass(frozen=True)
class Shell:
    """The page every URL of the app loads first (then the frontend takes over)."""

    body: bytes
    br: bytes
    gz: bytes
    etag: str
    assets: tuple[str, ...] = ()  # what the frontend loads first (scripts, style, font), by path


def build_shell(index_html: str, *, lang: str = "fr", title: str = "Think&Do", boot_js: str = "", css: str = "") -> Shell:
    """Streamlit's index.html in the room's language, with our styles and boot script inline and a
    title that is not "Streamlit" while the app loads."""
    html = re.sub(r'<html lang="[^"]*"', f'<html lang="{lang}"', index_html, count=1)
    html = re.sub(r"<title>[^<]*</title>", f"<title>{title}</title>", html, count=1)
    html = re.sub(r"<!--.*?-->", "", html, flags=re.S)  # licence header and comments: not for phones
    if css:
        html = html.replace("</head>", f"<style>{css}</style>\n</head>", 1)
    # Something to read while the frontend loads on a slow Wi-Fi (boot.js lifts it), painted
    # before anything else is asked for: Streamlit's stylesheet (render-blocking), its font
    # preload (170 KB) and its ~60 module preloads (~600 KB) are fetched only once the splash is
    # on screen, so the first paint waits for the page itself and nothing else. They are still
    # all asked for at once, so loading takes no extra round trip.
    html = html.replace('<div id="root"></div>', f'<div id="root"></div>{SPLASH}', 1)
    entry = re.search(r'<script type="module" crossorigin src="(\./static/js/index\.[^"]+\.js)"></script>', html)
    assets: list[str] = []
    if entry:
        deferred = re.findall(_DEFERRED_TAG, html)
        assets = [re.search(r'href="\.?([^"]+)"', tag).group(1) for tag in deferred] + [entry.group(1)[1:]]
        html = re.sub(r"\s*(?:" + _DEFERRED_TAG + ")", "", html)
        html = html.replace(entry.group(0), "", 1)
        html = html.replace("</body>", f"<script>{_start_script(entry.group(1), deferred)}</script>\n</body>", 1)
    if boot_js:
        html = html.replace("</head>", f"<script>{boot_js}</script>\n</head>", 1)
    body = html.encode("utf-8")
    return Shell(
        body=body,
        br=brotli.compress(body, quality=11),
        gz=gzip.compress(body, 9, mtime=0),
        etag='"' + hashlib.sha256(body).hexdigest()[:20] + '"',
        assets=tuple(assets),
    )


def _accepts(request: Request, encoding: str) -> bool:
    return encoding in request.headers.get("accept-encoding", "").lower()


class FrontDoor:
    """Starlette's router in front of Streamlit: the page shell, the join page and form, the room
    marker; everything else goes to the static files (precompressed) or to Streamlit itself."""

    def __init__(
        self,
        app,
        *,
        shell: Shell,
        static_root: Path | None = None,
        marker: Callable[[str], str | None] | None = None,
        desk: JoinDesk | None = None,
        creations: CreationDesk | None = None,
    ) -> None:
        from servestatic import ServeStaticASGI

        self.app = app
        self.shell = shell
        self.desk = desk or JoinDesk()
        self.creations = creations or CreationDesk(self.desk.database)
        extra = widget_chunks(static_root, besides=shell.assets) if static_root else ()
        self.prefetch = prefetch_script(shell.assets + extra)
        self.markers = CodeCache(marker or marker_from_db)
        self.workshops = CodeCache(self.desk.workshop)  # a stranger's random codes cost no more
        # Hashed file names: a phone keeps them for a year, a second visit downloads none.
        self.static = (
            ServeStaticASGI(
                app, root=str(static_root / "static"), prefix="static/", max_age=31_536_000, immutable_file_test=r".*"
            )
            if static_root
            else app
        )
        # Every method reaches a route (one it does not answer goes on to Streamlit, never a 405),
        # and "/me/" stays Streamlit's (no slash redirects).
        self.router = Router(
            routes=[
                Route("/join", self._join, methods=ALL_METHODS),
                Route("/new", self._new, methods=ALL_METHODS),
                Route("/", self._home, methods=ALL_METHODS),
                Route("/api/marker/{code:str}", self._marker, methods=ALL_METHODS),
                Route("/{page:str}", self._page, methods=ALL_METHODS),
            ],
            default=self.static,
            redirect_slashes=False,
        )

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.static(scope, receive, send)  # Streamlit's WebSocket
            return
        await self.router(scope, receive, send)

    async def _marker(self, request: Request) -> Response:
        """What an idle phone polls: its room's marker, a few bytes, never cached by the browser
        (empty for a workshop that is gone: the page then redraws once and says so)."""
        code = request.path_params["code"]
        if request.method not in ("GET", "HEAD") or not _CODE.match(code):
            return _Passthrough(self.static)
        value = await self.markers.get(code.upper())
        busy = value is CodeCache.BUSY
        body = "" if busy or value is None else value
        return PlainTextResponse(body, status_code=503 if busy else 200, headers={"cache-control": "no-store"})

    async def _home(self, request: Request) -> Response:
        """The home page, and the QR's link (/?code=…) of a workshop that exists, as plain HTML;
        an unknown code is said on the home page, what was typed kept."""
        if request.method not in ("GET", "HEAD") or len(request.query_params.multi_items()) > 10:
            return await self._page(request)
        chosen = request.query_params.get("lang", "")
        code = request.query_params.get("code", "").strip().upper()
        if not code:
            return self._home_page(request, lang=homepage.page_language(chosen))
        workshop, error = await self._known(request, code)
        if workshop is None:
            return self._home_page(request, lang=homepage.page_language(chosen), code=code[:12], error=error)
        lang = joinpage.page_language(workshop, chosen)
        page = joinpage.render(workshop, lang=lang, token=security.new_token(), prefetch=self.prefetch)
        return _html(request, page)

    async def _known(self, request: Request, code: str) -> tuple[Workshop | None, WorkshopError | None]:
        """The workshop a typed code names, or why not (unknown, or this address tried too many
        unknown codes: past security.code_probe_throttle nothing more is read)."""
        client = request.client.host if request.client else "local"
        probing = client not in LOCAL_ADDRESSES  # the facilitator's own browser on the laptop is not counted
        wait = security.code_probe_throttle.waiting(client) if probing else 0
        if wait > 0:
            return None, SlowDown("err.too_many_codes", seconds=int(wait) + 1)
        workshop = await self.workshops.get(code) if _CODE.match(code) else None
        if workshop is CodeCache.BUSY:
            return None, SlowDown("err.join_busy")
        if workshop is None:
            if probing:
                security.code_probe_throttle.allow(client)
            return None, NotFound("err.no_workshop")
        return workshop, None

    def _home_page(self, request: Request, *, lang: str, code: str = "", name: str = "", error=None) -> Response:
        local = (request.client.host if request.client else "local") in LOCAL_ADDRESSES
        page = homepage.render(
            lang=lang,
            token=security.new_token(),
            code=code,
            name=name,
            error=error.message(lang) if error else "",
            demo=demo.local_demo() if local else None,
            prefetch=self.prefetch,
        )
        return _html(request, page, status_code=429 if isinstance(error, SlowDown) and error.key != "err.join_busy" else 200)

    async def _join(self, request: Request) -> Response:
        """The join form posted: join, then go to the personal page; or the form again, what was
        typed kept, with the reason in the page's language."""
        if request.method != "POST":
            return await self._page(request)
        body = await _posted_body(request, MAX_FORM_BYTES)
        if isinstance(body, Response):
            return body
        form = parse_qs(body.decode("utf-8", "replace"), max_num_fields=10)

        def field(name: str) -> str:
            return (form.get(name) or [""])[0]

        code = field("code").strip().upper()
        workshop, error = await self._known(request, code)
        if workshop is None:  # the home page again, what was typed kept, the reason said
            name = field("name")[: 4 * joinpage.NAME_MAX]
            return self._home_page(request, lang=homepage.page_language(field("lang")), code=code[:12], name=name, error=error)
        lang = joinpage.page_language(workshop, field("lang"))
        token = field("token") if joinpage.TOKEN.match(field("token")) else security.new_token()
        name = field("name")[: 4 * joinpage.NAME_MAX]
        wait = security.join_throttle.allow(request.client.host if request.client else "local")
        try:
            if wait > 0:
                raise SlowDown("err.too_fast", seconds=int(wait) + 1)
            await asyncio.to_thread(self.desk.join, code, name, token)
        except WorkshopError as exc:
            page = joinpage.render(workshop, lang=lang, token=token, name=name, error=exc.message(lang), prefetch=self.prefetch)
            return _html(request, page)
        arrival = {"p": token, "welcome": "1"} | ({"lang": lang} if lang != workshop.language else {})
        return _see_other("/me?" + urlencode(arrival))

    async def _new(self, request: Request) -> Response:
        """The creation form; posted: create, then open the new workshop's console; or the form
        again, what was typed kept, with the reason in the page's language."""
        key_required = bool(config.creation_key())
        if request.method in ("GET", "HEAD"):
            lang = createpage.page_language(request.query_params.get("lang"))
            return _html(request, createpage.render(lang=lang, token=security.new_token(), key_required=key_required))
        if request.method != "POST":
            return await self._page(request)
        body = await _posted_body(request, MAX_CREATION_BYTES)
        if isinstance(body, Response):
            return body
        form = await _form(request, body)
        if form is None:
            return PlainTextResponse("Formulaire illisible · Unreadable form", status_code=400)
        fields, template = form
        lang = createpage.page_language(fields.get("lang"))
        values = {name: fields.get(name, "")[: 4 * LIMITS.get(name, 100)] for name in createpage.FIELDS}
        token = fields.get("token", "") if joinpage.TOKEN.match(fields.get("token", "")) else security.new_token()
        try:
            if not values["retention_days"].strip().isdigit():
                raise InvalidInput("err.retention")
            made = await asyncio.to_thread(
                self.creations.create,
                client=request.client.host if request.client else "local",
                key=fields.get("key", ""),
                token=token,
                template=template,
                title=values["title"],
                language=values["language"],
                question=values["question"],
                retention_days=int(values["retention_days"]),
            )
        except WorkshopError as exc:
            error = exc.message(lang) + (" " + i18n.t("new.file_again", lang) if template is not None else "")
            page = createpage.render(lang=lang, token=token, values=values, error=error, key_required=key_required)
            return _html(request, page, status_code=429 if isinstance(exc, SlowDown) else 200)
        arrival = {"w": made.code, "k": token, "created": "1"} | ({"lang": lang} if lang != made.language else {})
        return _see_other("/console?" + urlencode(arrival))

    async def _page(self, request: Request) -> Response:
        """The page shell, precompressed, revalidated by its ETag ("/me/" is Streamlit's to
        redirect: its relative paths differ)."""
        if request.method not in ("GET", "HEAD") or not _PAGE.match(request.url.path):
            return _Passthrough(self.static)
        headers = {"cache-control": "no-cache", "etag": self.shell.etag, "vary": "Accept-Encoding"}
        if request.headers.get("if-none-match") == self.shell.etag:
            return Response(status_code=304, headers=headers)
        body = self.shell.body
        if _accepts(request, "br"):
            body, headers["content-encoding"] = self.shell.br, "br"
        elif _accepts(request, "gzip"):
            body, headers["content-encoding"] = self.shell.gz, "gzip"
        return Response(body, headers=headers, media_type="text/html; charset=utf-8")


class _Passthrough:
    """A route's answer that hands the request on (to the static files, then Streamlit)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        await self.app(scope, receive, send)


async def _posted_body(request: Request, limit: int) -> bytes | Response:
    """A form's body from this site, or the refusal to send: another site, an unknown Host, a
    body too slow or too long."""
    if not _same_origin(request):
        return PlainTextResponse("Requête refusée (autre site) · Request refused (other site)", status_code=403)
    if not host_allowed(request.headers.get("host", "")):
        return PlainTextResponse("Adresse non reconnue · Unknown address", status_code=403)
    try:
        # A body trickled a byte at a time would hold a connection (a file) open for ever.
        async with asyncio.timeout(config.body_timeout_s()):
            body = await _read_body(request, limit)
    except TimeoutError:
        return PlainTextResponse("Formulaire trop lent · Form too slow", status_code=408, headers={"connection": "close"})
    if body is None:
        return PlainTextResponse("Formulaire trop long · Form too long", status_code=413)
    return body


async def _form(request: Request, body: bytes) -> tuple[dict[str, str], bytes | None] | None:
    """A posted form's text fields and its one file (None when none was chosen), parsed by
    Starlette from a body already read and bounded; None when it cannot be read."""

    async def replay() -> dict:
        return {"type": "http.request", "body": body, "more_body": False}

    try:
        async with Request(request.scope, replay).form(max_files=1, max_fields=12, max_part_size=MAX_CREATION_BYTES) as form:
            fields = {name: value for name, value in form.multi_items() if isinstance(value, str)}
            files = [value for _, value in form.multi_items() if not isinstance(value, str) and value.filename]
            template = await files[0].read() if files else None
    except (HTTPException, MultiPartException, ValueError, KeyError):
        return None
    return fields, template


async def _read_body(request: Request, limit: int) -> bytes | None:
    """The request's body, or None past `limit` bytes (read no further)."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _same_origin(request: Request) -> bool:
    """False for a form posted from another site (so nobody can join a phone to a room with a
    personal link they chose); browsers say where a form comes from, other clients need not."""
    origin = request.headers.get("origin", "")
    site = request.headers.get("sec-fetch-site", "")
    if site and site not in ("same-origin", "none"):
        return False
    return not origin or urlsplit(origin).netloc == request.headers.get("host", "")


def host_allowed(host_header: str) -> bool:
    """A join is accepted for a Host this laptop answers to: an IP address, localhost, a *.local
    name (mDNS, resolved on the room's network), the public address's host, or one listed in
    WORKSHOP_ALLOWED_HOSTS. Refused: any other name, the shape of a DNS-rebinding page (another
    site's name pointed at this laptop) posting joins from a participant's browser."""
    if not host_header:
        return True  # no browser omits it; a script has simpler ways in
    host = urlsplit(f"//{host_header}").hostname or ""
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    public = urlsplit(config.public_base_url()).hostname or ""
    return host in ("localhost", public) or host.endswith((".local", ".localhost")) or host in config.allowed_hosts()


def _html(request: Request, page: str, *, status_code: int = 200) -> Response:
    """A page made for one request: never cached (it holds a fresh token), brotli if accepted."""
    body = page.encode("utf-8")
    headers = {"cache-control": "no-store", "vary": "Accept-Encoding"}
    if _accepts(request, "br"):
        body, headers["content-encoding"] = brotli.compress(body, quality=5), "br"
    elif _accepts(request, "gzip"):
        body, headers["content-encoding"] = gzip.compress(body, 6, mtime=0), "gzip"
    return Response(body, status_code=status_code, headers=headers, media_type="text/html; charset=utf-8")


def _see_other(location: str) -> Response:
    """303: the browser asks for `location` with a GET (a reload does not post the form again)."""
    return RedirectResponse(location, status_code=303, headers={"cache-control": "no-store"})


def front_door(app, *, lang: str = "fr"):
    """Wrap an ASGI app (Streamlit's) with the front door, precompressing on first use."""
    index = (streamlit_static_dir() / "index.html").read_text(encoding="utf-8")
    # The boot script's words come from the catalogues: a new language is its catalogue only.
    words = json.dumps(i18n.boot_words(), ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    boot = f"window.TD_WORDS={words};\n" + BOOT_JS.read_text(encoding="utf-8")
    css = APP_CSS.read_text(encoding="utf-8")
    shell = build_shell(index, lang=lang, boot_js=boot, css=css)
    return FrontDoor(app, shell=shell, static_root=precompress())
