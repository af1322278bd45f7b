"""The interface's words, one catalogue module per language (fr.py, en.py): each holds
NAME (the language's name in itself), CATALOGUE (key → text) and MONTHS. French is the default
and the fallback; a test keeps every catalogue's keys and placeholders identical. A new language
is one more module here: model.LANGUAGES lists the modules it finds."""

from __future__ import annotations

import importlib

from workshop.model import CIRCLES, LANGUAGES, Words

_MODULES = {code: importlib.import_module(f"{__name__}.{code}") for code in LANGUAGES}
CATALOGUES: dict[str, dict[str, str]] = {code: module.CATALOGUE for code, module in _MODULES.items()}
MONTHS = {code: module.MONTHS for code, module in _MODULES.items()}
NAMES = {code: module.NAME for code, module in _MODULES.items()}
FR = CATALOGUES["fr"]


def language_name(code: str) -> str:
    """A language as its speakers write it ("Français", "English"), whatever the page's language."""
    return NAMES.get(code, code)


def t(key: str, lang: str = "fr", **params) -> str:
    """The text for `key` in `lang` (French if unknown), with {params} filled; a parameter that
    is itself a catalogue key (e.g. a field name) is translated first."""
    catalogue = CATALOGUES.get(lang, FR)
    text = catalogue.get(key, FR.get(key, key))
    if params:
        translated = {name: catalogue.get(value, value) if isinstance(value, str) else value for name, value in params.items()}
        try:
            text = text.format(**translated)
        except (KeyError, IndexError, ValueError):
            pass
    return text


def quote(text: str, lang: str = "fr") -> str:
    """Someone's words in the language's quotation marks (« … » in French, “…” in English),
    never looked up in the catalogue."""
    return t("fmt.quote", lang).format(text=text)


def field(label: str, value: object, lang: str = "fr") -> str:
    """ "Label : value" with the language's spacing before the colon (none in English)."""
    return t("fmt.field", lang).format(label=label, value=value)


def number(n: int, lang: str = "fr") -> str:
    """A whole number as the language groups its digits: 13 510 in French, 13,510 in English
    (a wall at a conference shows five-digit counts)."""
    return f"{int(n):,}".replace(",", t("fmt.thousands", lang))


def count(n: int, one: str, many: str, lang: str = "fr", **params) -> str:
    """`n` things in words: the `one` key's text for 1 ("1 idée"), else `many`'s with {n}
    ("1 000 idées")."""
    return t(one if n == 1 else many, lang, n=number(n, lang), **params)


def format_date(value, lang: str = "fr") -> str:
    """A date as people write it: '8 déc. 2026' / '8 Dec 2026' (ISO text or a date; '' if none)."""
    import datetime as dt

    if not value:
        return ""
    try:
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)
    months = MONTHS.get(lang, MONTHS["fr"])
    return f"{day.day}\u00a0{months[day.month - 1]}\u00a0{day.year}"


def label(prefix: str, value: str, lang: str) -> str:
    """A vocabulary word: label('circle', 'family', 'fr') -> 'Famille'."""
    return t(f"{prefix}.{value}", lang)


def boot_words() -> dict[str, dict]:
    """What the boot script says and renames, per language, from the catalogues: the offline
    banner (title, on a page, on the wall) and Streamlit's English control names in the language
    (only those that differ), with the "Remove …" and "… MB per file" patterns."""
    words = {}
    for code, catalogue in CATALOGUES.items():
        controls = {key[4:]: text for key, text in catalogue.items() if key.startswith("ctl.") and text != key[4:]}
        words[code] = {
            "offline": [catalogue[f"boot.offline_{part}"] for part in ("title", "page", "wall")],
            "names": controls,
            "remove": catalogue["boot.remove"],
            "perFile": catalogue["boot.per_file"],
        }
    return words


def say(text: object, lang: str = "fr") -> str:
    """Words (or a tuple of Words and text, said one after the other) in `lang`; whole numbers
    among their parameters grouped as the language writes them; plain text as it is."""
    if isinstance(text, Words):
        params = {name: _said(value, lang) for name, value in text.params.items()}
        return t(text.key, lang, **params)
    if isinstance(text, tuple):
        return "".join(say(part, lang) for part in text)
    return str(text)


def _said(value: object, lang: str) -> object:
    if isinstance(value, (Words, tuple)):
        return say(value, lang)
    if isinstance(value, int) and not isinstance(value, bool):
        return number(value, lang)
    return value


def circle_words() -> dict[str, set[str]]:
    """Each circle as every catalogue names it ("Famille", "Family"): what a theme's words may
    ask for (network.who_can_help)."""
    return {circle: {c[f"circle.{circle}"] for c in CATALOGUES.values() if f"circle.{circle}" in c} for circle in CIRCLES}
