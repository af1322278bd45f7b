"""User text shown as text: escaped for Markdown and HTML, and the small shapes pages show it in
(tables, dates, next steps, an address to copy, the join QR)."""

from __future__ import annotations

import html
import re

import streamlit as st

from workshop import links
from workshop.i18n import format_date
from workshop.ui.session import lang, t

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


def copyable(url: str, *, label: str) -> None:
    """An address to copy, as plain selectable text (one tap selects it all): st.code would pull a
    1.5 MB syntax highlighter onto every phone. Shown exactly as given."""
    st.html(
        f'<div class="td-copy"><span class="td-copy-label">{esc(label)}</span>'
        f'<code class="td-copy-url" tabindex="0">{esc(url)}</code></div>'
    )


def link_button(label: str, href: str) -> None:
    """A link drawn as a button that opens in this tab (st.link_button opens a new one): the
    front door's plain pages, outside Streamlit's navigation."""
    st.html(f'<a class="td-link-button" href="{esc(href)}">{esc(label)}</a>')


def qr_image(url: str, code: str, *, width: int = 260) -> None:
    """The join QR as an inline SVG image with its alt text: no media file (any server of several
    can draw it), and a screen reader says what it is."""
    alt = esc(t("qr.alt", code=code, url=url))
    st.html(f'<img class="td-qr" src="{_qr(url)}" alt="{alt}" width="{width}" height="{width}">', width="content")


@st.cache_data(max_entries=32, show_spinner=False)
def _qr(url: str) -> str:
    return links.qr_svg_data_uri(url)


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
