"""User text shown through st.markdown stays text: escape_md backslash-escapes every Markdown
and directive character, breaks the patterns the frontend auto-links (URLs, www, e-mail, icon
codes) with an invisible joiner, and loses nothing a reader sees."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from workshop.ui import WORD_JOINER, escape_md

SPECIAL = set("\\`*_{}[]()#+-.!|<>$:~=")


def seen(escaped: str) -> str:
    """What a reader sees once Markdown has removed its escapes (joiners are invisible)."""
    text = escaped.replace(WORD_JOINER, "").replace("&#38;", "&").replace("  \n", "\n")
    return re.sub(r"\\(.)", r"\1", text, flags=re.S)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_every_markdown_character_is_escaped_and_nothing_is_lost(text):
    escaped = escape_md(text)
    assert seen(escaped) == text
    i = 0
    while i < len(escaped):  # every special character arrives escaped
        if escaped[i] == "\\":
            i += 2
            continue
        if escaped.startswith("&#38;", i):  # the ampersand, as an entity
            i += 5
            continue
        assert escaped[i] not in SPECIAL, (text, escaped, i)
        i += 1


def test_links_addresses_icons_and_directives_stay_literal():
    assert escape_md("https://evil.example/x") == "https\\:" + WORD_JOINER + "//evil\\.example/x"
    assert escape_md("WwW.site.fr") == "W" + WORD_JOINER + "wW\\.site\\.fr"
    assert escape_md("ana@site.fr") == "ana" + WORD_JOINER + "@site\\.fr"
    assert escape_md(":material/warning:") == "\\:" + WORD_JOINER + "material/warning\\:"
    assert escape_md(":red[alerte]") == "\\:" + WORD_JOINER + "red\\[alerte\\]"
    assert escape_md("Idée : vélo") == "Idée \\: vélo"  # French spacing: no joiner needed
    assert escape_md("a & b <b>") == "a &#38; b \\<b\\>"
    assert escape_md("ligne 1\nligne 2") == "ligne 1  \nligne 2"
