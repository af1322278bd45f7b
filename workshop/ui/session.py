"""The database and the language of this script run: the process's one pool, the page's
language (chosen, or the workshop's), and who is knocking."""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextlib import AbstractContextManager

import streamlit as st

from workshop import config
from workshop import db as dbmod
from workshop.engine import Database
from workshop.i18n import count as i18n_count
from workshop.i18n import language_name
from workshop.i18n import number as i18n_number
from workshop.i18n import quote as i18n_quote
from workshop.i18n import t as translate
from workshop.model import LANGUAGES


def _pool(target: str) -> dbmod.ConnectionPool | dbmod.PostgresPool:
    """The process's one pool for this database, shared with the front door (workshop.web):
    migrated once per process at first use, never lazily per request; nothing is deleted at
    start-up (purging is explicit)."""
    return dbmod.shared_pool(target)


def database() -> str:
    """The app's database (a SQLite path or a PostgreSQL URL): cached computations name it, as it
    is part of their key."""
    return config.database()


def _db_at(target: str) -> AbstractContextManager[Database]:
    """A connection lent for one `with` block (then given back to the pool)."""
    return _pool(target).connection()


def on_db(fn: Callable) -> Callable:
    """`fn(db, *args)` called as `fn(*args)` on a connection lent for the call: pages name what
    they read or write, never a database."""

    @functools.wraps(fn)
    def call(*args, **kwargs):
        with get_db() as db:
            return fn(db, *args, **kwargs)

    return call


def get_db() -> AbstractContextManager[Database]:
    """A connection to the app's database, for one `with` block of this script run."""
    return _db_at(database())


def lang() -> str:
    return st.session_state.get("lang", "fr")


def set_default_lang(workshop_lang: str) -> None:
    """The workshop's language, unless this person chose another in this tab."""
    if not st.session_state.get("lang_chosen"):
        st.session_state["lang"] = workshop_lang


def take_arrival(*, flag: str = "welcome") -> bool:
    """What a front-door form hands over in the link it leads to (?welcome=1 from the join page,
    ?created=1 from the creation page, ?lang=…), taken once and removed from the address (a
    reload or a copied link carries neither); True on arrival."""
    chosen = st.query_params.get("lang")
    if chosen in LANGUAGES:
        st.session_state["lang"] = chosen
        st.session_state["lang_chosen"] = True
    arrived = st.query_params.get(flag) == "1"
    for name in ("lang", flag):
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
        required=True,
        on_change=_changed,
        label_visibility="collapsed",
    )


def client_key() -> str:
    """Who is knocking (for rate limits): the client's IP address when Streamlit knows it."""
    ip = st.context.ip_address
    return ip if isinstance(ip, str) and ip else "local"


LOCAL_CLIENTS = ("local", "127.0.0.1", "::1")  # Streamlit gives no address for loopback


def client_is_local() -> bool:
    """True for a browser on this machine."""
    return client_key() in LOCAL_CLIENTS
