"""The only module of the package that imports streamlit: the database per run, the language,
cached computations keyed on (database, workshop, version), and safe rendering of user text."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import html
import json
import re
import time
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass

import streamlit as st
from sqlite_utils import Database

from workshop import charts, config, links, network, resolve, rooms, security, store
from workshop import db as dbmod
from workshop import wall as walls
from workshop.errors import AccessDenied, SlowDown, WorkshopError
from workshop.i18n import count as i18n_count
from workshop.i18n import format_date, language_name
from workshop.i18n import number as i18n_number
from workshop.i18n import quote as i18n_quote
from workshop.i18n import t as translate
from workshop.model import LANGUAGES


@st.cache_resource
def _pool(target: str) -> dbmod.ConnectionPool | dbmod.PostgresPool:
    """Migrate once per process and database (never lazily per request), then keep a pool of open
    connections for the script runs. Nothing is deleted at start-up: purging is explicit."""
    dbmod.prepare(target)
    return dbmod.pool(target)


def database() -> str:
    """The app's database (a SQLite path or a PostgreSQL URL): cached computations name it, as it
    is part of their key."""
    return config.database()


def _db_at(target: str) -> AbstractContextManager[Database]:
    """A connection lent for one `with` block (then given back to the pool)."""
    return _pool(target).connection()


def get_db() -> AbstractContextManager[Database]:
    """A connection to the app's database, for one `with` block of this script run."""
    return _db_at(database())


# ---------------------------------------------------------------- language


def lang() -> str:
    return st.session_state.get("lang", "fr")


def set_default_lang(workshop_lang: str) -> None:
    """The workshop's language, unless this person chose another in this tab."""
    if not st.session_state.get("lang_chosen"):
        st.session_state["lang"] = workshop_lang


def take_arrival() -> bool:
    """What the join page hands over in the personal link (?welcome=1, ?lang=…), taken once and
    removed from the address (a reload or a copied link carries neither); True on arrival."""
    chosen = st.query_params.get("lang")
    if chosen in LANGUAGES:
        st.session_state["lang"] = chosen
        st.session_state["lang_chosen"] = True
    arrived = st.query_params.get("welcome") == "1"
    for name in ("lang", "welcome"):
        if name in st.query_params:
            del st.query_params[name]
    return arrived


def t(key: str, **params) -> str:
    return translate(key, lang(), **params)


def number(n: int) -> str:
    """A whole number grouped as the page's language writes it (13 510, 13,510)."""
    return i18n_number(n, lang())


def quote(text: str) -> str:
    """Someone's words in the page language's quotation marks."""
    return i18n_quote(text, lang())


def count(n: int, one: str, many: str, **params) -> str:
    """`n` things in the page's language: "1 idée", "3 idées"."""
    return i18n_count(n, one, many, lang(), **params)


def language_switch(key: str = "lang_switch") -> None:
    def _changed() -> None:
        st.session_state["lang"] = st.session_state[key]
        st.session_state["lang_chosen"] = True

    st.session_state.setdefault(key, lang())
    st.session_state[key] = lang()
    st.segmented_control(
        t("lang.label"),
        options=list(LANGUAGES),
        format_func=language_name,
        key=key,
        on_change=_changed,
        label_visibility="collapsed",
    )


def client_key() -> str:
    """Who is knocking (for rate limits): the client's IP address when Streamlit knows it."""
    ip = st.context.ip_address
    return ip if isinstance(ip, str) and ip else "local"


def client_is_local() -> bool:
    """True for a browser on this machine (Streamlit gives no address for loopback)."""
    return client_key() in ("local", "127.0.0.1", "::1")


def throttle(limiter: security.Throttle) -> None:
    """Count one action of this client; raise SlowDown when it comes too often."""
    wait = limiter.allow(client_key())
    if wait > 0:
        raise SlowDown("err.too_fast", seconds=int(wait) + 1)


def check_creation_key(typed: str) -> None:
    """Hosted use: creating a workshop needs the host's key (compared in constant time)."""
    expected = config.creation_key()
    if expected and not hmac.compare_digest(expected.encode(), (typed or "").encode()):
        raise AccessDenied("err.creation_key")


def facilitator_gate(code: str, token: str):
    """The console's workshop for a facilitator link, or an error and st.stop(). The session
    remembers a success, so later reruns do not check the key again."""
    proof = hashlib.sha256(f"{code}:{token}".encode()).hexdigest()
    try:
        with get_db() as db:
            if st.session_state.get("console_auth") == proof:
                return store.workshop_by_code(db, code)
            workshop = store.authenticate_facilitator(db, code, token, client=client_key(), limiter=security.facilitator_limiter)
    except WorkshopError as exc:
        st.session_state.pop("console_auth", None)
        st.error(exc.message(lang()) if isinstance(exc, SlowDown) else t("con.denied"))
        st.stop()
    st.session_state["console_auth"] = proof
    return workshop


def delete_my_data(participant) -> None:
    """ "Effacer mes données" behind a confirmation (under *Ma place*, or alone for a suspended
    participant): everything they wrote goes, and their link stops working."""
    if disclosure(t("me.delete_my_data"), key="me_delete_open"):
        confirm = st.checkbox(t("me.delete_confirm"), key="me_delete_confirm")
        if st.button(t("me.delete_my_data"), disabled=not confirm, key="me_delete_btn", type="secondary"):
            try:
                with get_db() as db:
                    store.delete_participant(db, participant)
            except WorkshopError as exc:
                show_error(exc)
            else:
                st.query_params.clear()
                st.success(t("me.data_deleted"))
                st.stop()


def disclosure(label: str, *, key: str, expanded: bool = False) -> bool:
    """A switch that shows what follows: on participant pages instead of st.expander, whose
    chevron is an icon font (375 KB more for every phone)."""
    st.session_state.setdefault(key, expanded)
    return st.toggle(label, key=key)


def show_error(exc: WorkshopError) -> None:
    st.error(escape_md(exc.message(lang())))


# ---------------------------------------------------------------- user text


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>$:~=])")


WORD_JOINER = "\u2060"  # invisible; breaks the URL and e-mail patterns the frontend auto-links


_WWW = re.compile(r"(?i)(w)(ww)")
_COLON_BEFORE_WORD = re.compile(r"\\:(?=\S)")  # ':material/…', '://'; not French " : "


def escape_md(text: str) -> str:
    """User text made inert for st.markdown: every Markdown/directive character backslash-escaped,
    and an invisible word joiner after a ':' glued to what follows (icons like :material/x: and '://' survive a
    backslash), inside 'www' whatever its case, and before '@', because the frontend turns bare
    URLs, e-mail addresses and icon codes into links or icons even when escaped (stored text is
    never changed; addresses meant to be copied are shown in st.code, never through here)."""
    escaped = _MD_SPECIAL.sub(r"\\\1", str(text)).replace("&", "&#38;")
    escaped = _COLON_BEFORE_WORD.sub("\\\\:" + WORD_JOINER, escaped)
    escaped = _WWW.sub(r"\1" + WORD_JOINER + r"\2", escaped)
    escaped = escaped.replace("@", WORD_JOINER + "@")
    return escaped.replace("\n", "  \n")


def plain(text: str, *, caption: bool = False) -> None:
    """Show user text as text (never Markdown or HTML), its line breaks kept; small if `caption`."""
    (st.caption if caption else st.markdown)("  \n".join(escape_md(line) for line in text.split("\n")))


def esc(text: object) -> str:
    """User text for st.html / Plotly: HTML-escaped."""
    return html.escape(str(text), quote=True)


# ---------------------------------------------------------------- forms


def submission_id(name: str) -> str:
    """The idempotency key of the form now on screen; rotated only after a confirmed write."""
    key = f"sid_{name}"
    if key not in st.session_state:
        st.session_state[key] = uuid.uuid4().hex
    return st.session_state[key]


def rotate_submission(name: str) -> None:
    st.session_state[f"sid_{name}"] = uuid.uuid4().hex


def flash(message: str, kind: str = "success") -> None:
    """A message to show on the next run (callbacks run before the page is drawn)."""
    st.session_state.setdefault("_flash", []).append((kind, message))


def flash_once(exc: WorkshopError) -> None:
    """An error to show on this run's messages unless the same one is already waiting there (a
    refused write and the page's own reads can meet the same unreachable database)."""
    pending = st.session_state.setdefault("_flash", [])
    if ("error", exc.message(lang())) not in pending:
        pending.append(("error", exc.message(lang())))


def show_flashes() -> None:
    for kind, message in st.session_state.pop("_flash", []):
        # Messages may quote what a participant typed: always shown as plain text.
        {"success": st.success, "error": st.error, "info": st.info, "warning": st.warning}[kind](escape_md(message))


def failed(exc: WorkshopError, kept: str = "") -> None:
    """A refused write: the reason, and what the person typed so that nothing is lost."""
    flash(exc.message(lang()), "error")
    if kept and kept.strip():
        flash(t("me.kept", text=kept.strip()), "info")


def guarded(action: Callable[[], object], *, success: str | None = None) -> Callable[[], None]:
    """Wrap a write for a widget callback: WorkshopError becomes a translated message, input is kept."""

    def run() -> None:
        try:
            action()
        except WorkshopError as exc:
            flash(exc.message(lang()), "error")
        else:
            if success:
                flash(success)

    return run


# ---------------------------------------------------------------- cached computations


def per_version(*, max_entries: int = 32) -> Callable:
    """Decorator for a page's reading: `read(db, workshop_id, *args)` is called as
    `read(workshop_id, version, *args)` and computed once per (database, workshop, data version,
    args) for every open tab, on a pooled connection to the database the cache is keyed on."""

    def decorate(read: Callable) -> Callable:
        @functools.wraps(read)  # Streamlit keys the cache on the wrapped function's name and source
        def on_database(path: str, workshop_id: int, version: int, *args):
            del version  # part of the cache key only
            with _db_at(path) as conn:
                return read(conn, workshop_id, *args)

        cached = st.cache_data(max_entries=max_entries, show_spinner=False)(on_database)

        @functools.wraps(read)
        def call(workshop_id: int, version: int, *args):
            return cached(database(), workshop_id, version, *args)

        return call

    return decorate


@st.cache_resource(max_entries=24, show_spinner=False)
def room_at(path: str, workshop_id: int, version: int) -> network.Room:
    """The room (participants, contacts, merges) at one data version, shared read-only by the
    network views, the merge proposals and the console's panels."""
    del version  # part of the cache key only
    with _db_at(path) as conn:
        return rooms.load(conn, workshop_id)


@st.cache_data(max_entries=64, show_spinner=False)
def room_snapshot(path: str, workshop_id: int, version: int) -> dict:
    """Counters, rounds and themes of a workshop at one version: computed once per version for
    every open projector and console tab."""
    del version  # part of the cache key only
    with _db_at(path) as conn:
        return {
            "counters": store.counters(conn, workshop_id),
            "workshop": store.get_workshop(conn, workshop_id),
        }


@st.cache_data(max_entries=32, show_spinner=False)
def theme_cards(path: str, workshop_id: int, version: int) -> list[dict]:
    """Themes with their representative ideas, once per version for every phone and wall."""
    del version  # part of the cache key only
    with _db_at(path) as conn:
        return rooms.theme_cards(conn, workshop_id)


@st.cache_data(max_entries=32, show_spinner=False)
def wall_cards(path: str, workshop_id: int, version: int, lang: str) -> list[dict]:
    """The wall's theme cards (with who in the room can help each), once per version and language."""
    return walls.cards_with_help(theme_cards(path, workshop_id, version), room_at(path, workshop_id, version), lang=lang)


@st.cache_data(ttl=30, max_entries=64, show_spinner=False)
def skill_suggestions(path: str, workshop_id: int) -> list[str]:
    """What others typed, refreshed at most every 30 s: it scans the whole room, and a
    participant's rerun must stay cheap."""
    with _db_at(path) as conn:
        return store.skill_suggestions(conn, workshop_id)


@st.cache_data(ttl=5, max_entries=64, show_spinner=False)
def named_themes(path: str, workshop_id: int) -> dict[int, str]:
    """The facilitator's named themes a participant may pick for an idea, read at most every 5 s
    (200 phones redraw their form; the list changes a few times a day)."""
    with _db_at(path) as conn:
        frame = store.themes_frame(conn, workshop_id)
    return {int(r.id): str(r.label) for r in frame.itertuples() if r.renamed}


def qr_image(url: str, code: str, *, width: int = 260) -> None:
    """The join QR as an inline SVG image with its alt text: no media file (any server of several
    can draw it), and a screen reader says what it is."""
    alt = esc(t("qr.alt", code=code, url=url))
    st.html(f'<img class="td-qr" src="{_qr(url)}" alt="{alt}" width="{width}" height="{width}">', width="content")


@st.cache_data(max_entries=32, show_spinner=False)
def _qr(url: str) -> str:
    return links.qr_svg_data_uri(url)


@st.cache_data(ttl=30, show_spinner=False)
def _candidates() -> list[tuple[str, str]]:
    """This laptop's addresses as (address, kind), read again every 30 s (the Wi-Fi may change)."""
    from workshop import addresses

    return [(c.address, c.kind) for c in addresses.local_interfaces()]


def address_choices(workshop) -> dict[str, str]:
    """The join addresses the facilitator may pick, base URL -> label, the current one first; empty
    when this laptop offers only one (nothing to choose)."""
    port = config.port()
    found = {f"http://{address}:{port}": f"{address} — {t(f'addr.{kind}')}" for address, kind in _candidates()}
    if len(found) < 2:
        return {}
    current = links.base_url(workshop)
    return {current: found.get(current, f"{current} — {t('addr.current')}"), **found}


def copyable(url: str, *, label: str) -> None:
    """An address to copy, as plain selectable text (one tap selects it all): st.code would pull a
    1.5 MB syntax highlighter onto every phone. Shown exactly as given."""
    st.html(
        f'<div class="td-copy"><span class="td-copy-label">{esc(label)}</span>'
        f'<code class="td-copy-url" tabindex="0">{esc(url)}</code></div>'
    )


def evidence_text(evidence: list[str]) -> str:
    """Why two contacts may be one person, in the page's language: "name 90", "city=", "region≠"
    (resolve's evidence) become « nom 90 %, ville identique, région différente »."""
    words = []
    for item in evidence:
        if item.startswith("name "):
            words.append(t("ev.name", score=item.removeprefix("name ")))
        elif item[-1:] in ("=", "≠"):
            field = t(f"field.{item[:-1]}").lower()
            words.append(t("ev.same" if item.endswith("=") else "ev.differs", field=field))
        else:
            words.append(item)
    return ", ".join(words)


def table(rows: list[dict]) -> None:
    """A small table, or "Rien pour l'instant." when empty (Streamlit's empty grid says "empty")."""
    if rows:
        st.dataframe(rows, hide_index=True, width="stretch")
    else:
        st.caption(t("con.nothing_yet"))


def step_text(step: dict) -> str:
    """A collectif's next step as one line: "text — owner 8 déc. 2026" (no date: no trailing space)."""
    return f"{step['text']} — {step['owner']} {date_text(step['due_date'])}".rstrip()


def date_text(value) -> str:
    """A date in the page's language: '8 déc. 2026'."""
    return format_date(value, lang())


def _lang_marker(**data: object) -> str:
    """The hidden element the boot script reads: the page's language, and `data` as data-td-*."""
    extra = "".join(f' data-td-{name}="{esc(value)}"' for name, value in data.items())
    return f'<span hidden data-td-lang="{esc(lang())}"{extra}></span>'


def page_chrome(*, wall: bool = False) -> None:
    """The page's language, for the boot script (<html lang>, control names); the shared styles
    are in the page shell (workshop/static/app.css). `wall`: laid out on the 1920×1080 canvas
    the boot script scales to the projector's screen."""
    st.html(_lang_marker(wall=1) if wall else _lang_marker())


def focus_first_input(selector: str = "input") -> None:
    """Put the cursor back in the first field of the form, ready for the next entry."""
    # A fresh nonce each time: an identical element would not be re-mounted, so not re-run.
    nonce = uuid.uuid4().hex
    st.html(
        f"<script data-nonce='{nonce}'>setTimeout(() => {{const el = document.querySelector("
        f"'[data-testid=\"stForm\"] {selector}'); if (el) el.focus();}}, 300);</script>",
        unsafe_allow_javascript=True,
    )


def greeting(heading: str, subtitle: str, *, watch: tuple[str, str]) -> None:
    """The participant page's header (user text, escaped) and the page's language marker, as ONE
    element (its styles are in the page shell, workshop/static/app.css).
    `watch` = (workshop code, room marker): the boot script polls the marker over plain HTTP and
    redraws the page through `follow_button` when the facilitator opened another round."""
    code, marker = watch
    st.html(
        _lang_marker(watch=code, marker=marker, every=config.PHONE_WATCH_SECONDS)
        + f'<h1 class="me-hello">{esc(heading)}</h1><p class="me-sub">{esc(subtitle)}</p>',
        width="content",
    )


def follow_button() -> None:
    """Hidden; the boot script presses it when the room's marker moved (a full redraw)."""
    st.button(t("me.refresh"), key="td_follow")


def projector_css() -> None:
    """Large type for the wall, on its 1920×1080 canvas (scaled to the screen by the boot script):
    what the room reads is 28 px or more there, so at least 18 px on a 1280×720 projector."""
    st.html(
        """<style>
        header[data-testid="stHeader"] {display: none;}
        .block-container, [data-testid="stMainBlockContainer"] {padding: 1.6rem 3rem 0 3rem !important; max-width: 100%;}
        .proj-title {font-size: 3rem; font-weight: 800; line-height: 1.1; margin: 0; padding: 0;
                     display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden;}
        .proj-sub {font-size: 1.75rem; opacity: .9; margin: .2rem 0 0 0; line-height: 1.25;}
        .proj-question {display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden;}
        .proj-code {font-size: 4rem; font-weight: 900; letter-spacing: .35rem; margin: 0; line-height: 1.1;}
        .proj-url {font-size: 1.75rem; overflow-wrap: anywhere; margin: 0;}  /* breaks after "Rejoignez sur", not inside the port */
        .proj-round {font-size: 2.1rem; font-weight: 700;}
        .proj-timer {font-size: 3rem; font-weight: 900; font-variant-numeric: tabular-nums;}
        .wall-metrics {display: grid; grid-template-columns: repeat(4, 1fr); gap: 2rem; margin: .5rem 0 1rem 0;}
        .proj-metric {font-size: 6rem; font-weight: 900; line-height: 1;}
        .proj-metric-label {font-size: 2rem; opacity: .9;}
        .proj-new {font-size: 1.75rem; color: #1b5e20; font-weight: 700;}
        .wall-h2 {font-size: 2.1rem; font-weight: 700; margin: 0 0 .6rem 0; padding: 0;}
        .wall-arrivals {list-style: none; margin: 0 0 1rem 0; padding: 0;}
        .wall-arrivals li {font-size: 1.75rem; line-height: 1.3; margin-bottom: .55rem;
                           white-space: nowrap; overflow: hidden; text-overflow: ellipsis;}
        .wall-dot {display: inline-block; width: 1.4rem; height: 1.4rem; border-radius: 50%; margin-right: .6rem; vertical-align: -.15rem;}
        .family-close {background: #0072B2;} .family-studies {background: #CC79A7;} .family-work {background: #009E73;}
        .family-business {background: #E69F00;} .family-commitment {background: #D55E00;} .family-other {background: #999999;}
        .wall-swatch {display: inline-block; width: 1.6rem; height: 1.6rem; border-radius: .25rem; margin-right: .7rem;
                      vertical-align: -.2rem; background: #eeeeee; border: 1px solid #999;}
        .wall-map {display: block; max-width: 100%;}
        /* The network's labels: dark, on a white halo, readable over the dots and lines behind them. */
        .js-plotly-plot .textpoint text {fill: #1b1d24 !important; paint-order: stroke; stroke: #ffffff; stroke-width: 6px;
                                          stroke-linejoin: round; font-weight: 600;}
        .wall-grid {display: grid; gap: 1.1rem 1.4rem; grid-template-columns: repeat(3, minmax(0, 1fr));}
        .wall-ideas {grid-template-rows: repeat(3, 236px);}
        .wall-cards {grid-template-rows: repeat(2, 360px);}
        .note {font-size: 1.75rem; line-height: 1.25; padding: .8rem 1rem; border-radius: .5rem; overflow: hidden;
               background: #fff7c2; color: #222; box-shadow: 0 2px 4px rgba(0,0,0,.15);}
        .note.fresh {background: #c8f7c5; outline: 4px solid #2e7d32;}
        .note-text {display: -webkit-box; -webkit-line-clamp: 4; -webkit-box-orient: vertical; overflow: hidden; overflow-wrap: anywhere;}
        .note-author {font-size: 1.75rem; color: #3a3a3a; white-space: nowrap; overflow: hidden; text-overflow: ellipsis;}
        .card {font-size: 1.75rem; padding: .9rem 1.1rem; border-radius: .6rem; background: #eef3fb; color: #111; overflow: hidden;}
        .card h2 {font-size: 2.2rem; margin: 0 0 .3rem 0; padding: 0; line-height: 1.2;
                  white-space: nowrap; overflow: hidden; text-overflow: ellipsis;}
        .card .meta {font-size: 1.75rem; color: #2b2b2b; overflow-wrap: anywhere;}
        .card .help {display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden;}
        .card ul {margin: .3rem 0 .3rem 1.6rem; padding: 0;}
        .card li {margin-bottom: .2rem; font-size: 1.75rem; line-height: 1.25; overflow-wrap: anywhere;
                  display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden;}
        .story-title {font-size: 2.2rem; font-weight: 700; color: #0b4f8a; margin: 1.2rem 0 .6rem 0;}
        .story-head {font-size: 4rem; font-weight: 900; line-height: 1.1; margin: 0 0 1.2rem 0; overflow-wrap: anywhere;
                     display: -webkit-box; -webkit-line-clamp: 4; -webkit-box-orient: vertical; overflow: hidden;}
        .story-detail {font-size: 2.2rem; line-height: 1.3; margin: 0; overflow-wrap: anywhere;
                       display: -webkit-box; -webkit-line-clamp: 5; -webkit-box-orient: vertical; overflow: hidden;}
        .wall-pager {position: fixed; right: 2.2rem; bottom: 1.2rem; font-size: 1.75rem; font-weight: 700;
                     color: #333; background: #f1f1f1; border-radius: 2rem; padding: .2rem 1rem;}
        </style>"""
    )


# ---------------------------------------------------------------- network views (projector + console)


@st.cache_resource
def _layout_memory() -> network.LayoutMemory:
    return network.LayoutMemory()


@st.cache_data(max_entries=16, show_spinner=False)
def merge_candidates(path: str, workshop_id: int, version: int) -> list:
    """ "Same person?" proposals, best first, at one data version: all pairs of labels is the
    costliest read of the console (about 1.5 s for a 200-person room), so once per version."""
    room = room_at(path, workshop_id, version)
    contacts, people, merges = room.contacts, room.participants, room.merges
    decided_c = {(m.a_id, m.b_id) for m in merges.itertuples() if m.kind == "contact"}
    decided_p = {(m.a_id, m.b_id) for m in merges.itertuples() if m.kind == "participant"}
    cands = resolve.contact_candidates(contacts, decided=decided_c, nodes=resolve.resolve(contacts, merges))
    cands += resolve.participant_candidates(contacts, people, decided=decided_p)
    return sorted(cands, key=lambda c: (-c.score, c.kind, c.a_id, c.b_id))


def merge_decisions(path: str, workshop_id: int, version: int) -> list[resolve.Decision]:
    """The proposals as the facilitator decides them: identical labels grouped, then pairs."""
    return resolve.decisions(merge_candidates(path, workshop_id, version))


def wall_positions(workshop_id: int) -> dict | None:
    """The layout the projector drew last for this workshop (for the Gephi export)."""
    return _layout_memory().last((database(), workshop_id))


@dataclass(frozen=True)
class RoomNetwork:
    """A room's network at one data version, as every tab shares it."""

    room: network.Room
    analysis: network.Analysis  # with the facilitator's filters applied
    full_graph: object  # the unfiltered graph (igraph), which the positions come from
    positions: dict


@st.cache_resource(max_entries=24, show_spinner=False)
def network_analysis(path: str, workshop_id: int, version: int, filters_json: str) -> RoomNetwork:
    """Graph, metrics and findings at one data version; shared read-only by every tab."""
    room = room_at(path, workshop_id, version)
    analysis = network.analyse(room, filters=json.loads(filters_json))
    # Positions come from the unfiltered graph, so a filter hides nodes without moving the rest.
    full = network.build_graph(room) if filters_json != "{}" else analysis.graph
    return RoomNetwork(room, analysis, full, _layout_memory().positions((path, workshop_id), full))


@st.cache_resource(max_entries=24, show_spinner=False)
def network_figure(path: str, workshop_id: int, version: int, view_json: str, lang: str):
    """The figure for one (version, view settings, language): built once for all tabs."""
    view = json.loads(view_json)
    result = network_analysis(path, workshop_id, version, json.dumps(view.get("filters", {}), sort_keys=True))
    graph, positions, plot_px = result.analysis.graph, result.positions, None
    if view.get("wall"):
        plot_px = charts.wall_plot_px(WALL_CONTENT_WIDTH, view.get("height", 760))
        full = result.full_graph
        if full.vcount() > network.WALL_DETAIL_LIMIT and view.get("net_view") == "bridges":
            # A conference's bridges: its communities as bubbles and the people between them.
            cmap = network.community_map(graph, result.analysis.metrics)
            return charts.community_figure(cmap, lang=lang, anonymous=view.get("anonymous", False),
                                           height=view.get("height", 760), wall=plot_px)  # fmt: skip
        if full.vcount() > network.WALL_DETAIL_LIMIT:
            # A large room on the wall: participants and shared contacts, laid out on their own
            # (remembered apart from the full picture, so both stay stable).
            graph = network.summarise_for_wall(graph)
            positions = _layout_memory().positions((f"{path}#wall", workshop_id), network.summarise_for_wall(full))
    return charts.network_figure(
        graph, positions, result.analysis.metrics, lang=lang,
        color_by=view.get("color_by", "circle"), size_by=view.get("size_by", "degree"),
        show_labels=view.get("show_labels", False), anonymous=view.get("anonymous", False),
        only_bridges=view.get("net_view") == "bridges", height=view.get("height", 760), wall=plot_px,
        fresh_since=view.get("fresh_since"),
        notes=broker_notes(result.analysis.brokers, lang=lang, anonymous=view.get("anonymous", False))
        if view.get("net_view") == "bridges" else None,
        brokers=tuple(b["key"] for b in result.analysis.brokers),
    )  # fmt: skip


def broker_notes(brokers: list[dict], *, lang: str, anonymous: bool, top: int = 3) -> list[str]:
    """The bridges view's caption: its brokers and why ("Ana relie 3 groupes qui ne se connaissent
    pas"); how many there are in an anonymous workshop."""
    if not brokers:
        return []
    if anonymous:
        return [
            translate(
                "net.bubble_brokers", lang, names=i18n_count(len(brokers), "th.one_participant", "th.n_participants", lang=lang)
            )
        ]
    named = " · ".join(f"{b['name']} {broker_reason(b, lang)}" for b in brokers[:top])
    return [translate("net.bubble_brokers", lang, names=named)]


FRESH_STEP_SECONDS = 30
WALL_CONTENT_WIDTH = 1824  # the wall canvas (1920 px) less its side padding (projector_css)


def wall_chart(fig, *, key: str | None, width: int = WALL_CONTENT_WIDTH) -> None:
    """A chart on the wall canvas at a fixed width: measured in the browser, the scaled canvas
    would give Streamlit the screen's width, not the canvas's."""
    if fig.layout.width != width:  # a cached figure arrives sized already: never changed in place by a run
        fig.update_layout(width=width, autosize=False)
    st.plotly_chart(fig, key=key, width=width, config={"displayModeBar": False, "staticPlot": True})


def view_settings(workshop, *, height: int = 760, wall: bool = False) -> tuple[str, str]:
    """(filters_json, view_json) from the workshop's settings: the console decides, the wall follows."""
    s = workshop.settings
    filters = s.get("filters", {})
    view = {
        "filters": filters, "color_by": s.get("color_by", "circle"), "size_by": s.get("size_by", "degree"),
        "net_view": s.get("net_view", "full"), "show_labels": workshop.show_labels,
        "anonymous": workshop.anonymous, "height": height, "wall": wall,
    }  # fmt: skip
    if wall:
        # What arrived in the last minutes is ringed on the wall; the moment is rounded to the wall's
        # full redraw, so every wall shares one figure per half-minute.
        moment = int(time.time()) // FRESH_STEP_SECONDS * FRESH_STEP_SECONDS - config.NEW_WINDOW_SECONDS
        view["fresh_since"] = dt.datetime.fromtimestamp(moment, dt.UTC).isoformat(timespec="seconds")
    return json.dumps(filters, sort_keys=True), json.dumps(view, sort_keys=True)


def broker_reason(broker: dict, lang_code: str | None = None) -> str:
    """Why a participant is a broker, in the room's words: the groups they link when their census
    says so ("relie 3 groupes qui ne se connaissent pas"), else the communities they reach."""
    code = lang_code or lang()
    if broker["census"]:
        return translate("net.links_groups", code, n=broker["groups"])
    return f"{broker['communities']} {translate('net.communities', code)}"


def census_summary(analysis, lang_code: str | None = None) -> str:
    """How many participants said who knows whom (the brokers' wording depends on it)."""
    code = lang_code or lang()
    answered = int(analysis.holes_median["participants"])
    if not answered:
        return translate("net.census_none", code)
    ties = sum(1 for kind in analysis.graph.es["kind"] if kind == "knows") if analysis.graph.ecount() else 0
    return translate("net.census_share", code, n=answered, total=len(analysis.holes), ties=i18n_number(ties, code))


def render_network(workshop, version: int, *, height: int = 760, key: str | None = None, on_select=None, wall: bool = False):
    """The network view the facilitator chose (full, bridges, circles, reach, flows); `wall`: drawn
    for the projector's canvas (labels that fit, a large room summarised)."""
    filters_json, view_json = view_settings(workshop, height=height, wall=wall)
    shared = network_analysis(database(), workshop.id, version, filters_json)
    analysis, room = shared.analysis, shared.room
    net_view = json.loads(view_json)["net_view"]
    contacts = network.apply_filters(room.contacts, json.loads(filters_json))
    if analysis.graph.vcount() <= len(room.participants) and contacts.empty:
        st.info(t("proj.network_soon"))
        return None
    if net_view == "circles":
        st.plotly_chart(
            charts.circles_heatmap(
                network.participant_circles(contacts), lang=lang(), anonymous=workshop.anonymous, height=height
            ),
            key=key,
        )
        return None
    if net_view == "reach":
        c1, c2 = st.columns(2)
        with c1:
            st.plotly_chart(
                charts.bar_figure(network.reach_by(contacts, "region"), title=t("net.by.region"), height=height, lang=lang()),
                key=f"{key}_r" if key else None,
            )
        with c2:
            st.plotly_chart(
                charts.bar_figure(
                    network.reach_by(contacts, "sector"), title=t("net.by.sector"), height=height, color="#ff7f0e", lang=lang()
                ),
                key=f"{key}_s" if key else None,
            )
        return None
    if net_view == "flows":
        st.plotly_chart(charts.flows_figure(analysis.flow_counts, lang=lang(), height=height), key=key)
        return None
    fig = network_figure(database(), workshop.id, version, view_json, lang())
    if on_select:
        return st.plotly_chart(fig, key=key, on_select=on_select, selection_mode=("points",), config={"displayModeBar": False})
    wall_chart(fig, key=key) if wall else st.plotly_chart(fig, key=key, config={"displayModeBar": False, "staticPlot": False})
    return analysis
