"""The page around the content: the language marker the boot script reads, the phone's header
and its watch on the room, focus, and the wall's large type (workshop/static/wall.css)."""

from __future__ import annotations

import functools
import uuid
from pathlib import Path

import streamlit as st

from workshop import config
from workshop.ui.session import lang, t
from workshop.ui.text import esc

WALL_CSS = Path(__file__).resolve().parent.parent / "static" / "wall.css"


def _lang_marker(**data: object) -> str:
    """The hidden element the boot script reads: the page's language, and `data` as data-td-*."""
    extra = "".join(f' data-td-{name}="{esc(value)}"' for name, value in data.items())
    return f'<span hidden data-td-lang="{esc(lang())}"{extra}></span>'


def page_chrome(*, wall: bool = False) -> None:
    """The page's language, for the boot script (<html lang>, control names); the shared styles
    are in the page shell (workshop/static/app.css). `wall`: laid out on the 1920×1080 canvas
    the boot script scales to the projector's screen, and whose clock it presses every `tick` s."""
    st.html(_lang_marker(wall=1, tick=config.WALL_PULSE_SECONDS) if wall else _lang_marker())


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
    st.html(f"<style>{_wall_css()}</style>")


@functools.cache
def _wall_css() -> str:
    return WALL_CSS.read_text(encoding="utf-8")
