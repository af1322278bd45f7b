"""Forms and what a page says after a write: idempotency keys, flash messages, refused
writes that keep what was typed, and the one door every page's write goes through."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import streamlit as st

from workshop.errors import WorkshopError
from workshop.ui.session import get_db, lang, t
from workshop.ui.text import escape_md


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


def show_error(exc: WorkshopError) -> None:
    st.error(escape_md(exc.message(lang())))


def disclosure(label: str, *, key: str, expanded: bool = False) -> bool:
    """A switch that shows what follows: on participant pages instead of st.expander, whose
    chevron is an icon font (375 KB more for every phone)."""
    st.session_state.setdefault(key, expanded)
    return st.toggle(label, key=key)


def command(fn: Callable, *args, success: str | None = None, **kwargs) -> Callable[[], None]:
    """The one door of a page's writes, as a widget callback: `fn(db, *args, **kwargs)` on a pooled
    connection; a refused write becomes a translated message (what was typed stays in the form),
    a confirmed one shows `success` at the next run."""

    def action() -> None:
        with get_db() as db:
            fn(db, *args, **kwargs)

    return guarded(action, success=success)


def run(fn: Callable, *args, **kwargs):
    """A write run now, inside a callback that reports its outcome itself (WorkshopError goes up)."""
    with get_db() as db:
        return fn(db, *args, **kwargs)
