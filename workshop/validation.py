"""Cleaning and checking what people type, before anything is written."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from workshop.errors import InvalidInput
from workshop.model import CIRCLES, COLOUR_MODES, DORMANT_MODES, FLOWS, JOIN_LIMITS, LIMITS, NETWORK_VIEWS, REGIONS

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u3000]+")


_JOINERS = ("\u200d", "\u200c")  # ZWJ builds emoji sequences (👨‍👩‍👧); ZWNJ shapes Persian words


def _drop_controls(text: str, *, keep_newlines: bool) -> str:
    kept = []
    for ch in text:
        if ch == "\n" and keep_newlines:
            kept.append(ch)
        elif ch in _JOINERS and kept and not kept[-1].isspace():
            kept.append(ch)
        elif unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            kept.append(" " if ch in "\t\r\n" else "")
        else:
            kept.append(ch)
    return "".join(kept)


def clean_text(text: object, *, field: str, max_len: int, required: bool = True, multiline: bool = False) -> str:
    """Normalise (NFC, no control characters, single spaces) and check length; raise InvalidInput."""
    if text is None:
        text = ""
    if not isinstance(text, str):
        raise InvalidInput("err.invalid", field=field)
    text = _drop_controls(text, keep_newlines=multiline)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    text = "\n".join(line for line in lines if line) if multiline else " ".join(lines).strip()
    # Composed last: a control character or a space dropped above may bring a letter and its
    # accent together ("U\x1f\u0300" is "Ù"), and cleaning twice must give the same text.
    text = unicodedata.normalize("NFC", text)
    if required and not text:
        raise InvalidInput("err.empty", field=field)
    if len(text) > max_len:
        raise InvalidInput("err.too_long", field=field, max=max_len, length=len(text))
    return text


def clean_name(text: object) -> str:
    return clean_text(text, field="field.name", max_len=LIMITS["name"])


def clean_label(text: object) -> str:
    return clean_text(text, field="field.label", max_len=LIMITS["label"])


def clean_idea(text: object) -> str:
    return clean_text(text, field="field.idea", max_len=LIMITS["idea"], multiline=True)


def clean_place(text: object, field: str = "field.place") -> str:
    return clean_text(text, field=field, max_len=LIMITS["place"], required=False)


def clean_circle(circle: object) -> str:
    if circle not in CIRCLES:
        raise InvalidInput("err.circle")
    return str(circle)


def clean_flows(flows: Iterable[object] | None) -> list[str]:
    """Keep the order of FLOWS; refuse anything that is not one of the five."""
    if flows is not None and not isinstance(flows, (list, tuple, set, frozenset)):
        raise InvalidInput("err.invalid", field="field.flows")
    try:
        chosen = set(flows or [])
    except TypeError:
        raise InvalidInput("err.invalid", field="field.flows") from None
    unknown = chosen - set(FLOWS)
    if unknown:
        raise InvalidInput("err.invalid", field="field.flows")
    return [f for f in FLOWS if f in chosen]


def clean_scale(value: object, *, field: str) -> int:
    if isinstance(value, bool) or value not in (1, 2, 3):
        raise InvalidInput("err.invalid", field=field)
    return int(value)


def clean_year(value: object) -> int | None:
    if value in (None, ""):
        return None
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise InvalidInput("err.year") from None
    if not 1900 <= year <= 2100:
        raise InvalidInput("err.year")
    return year


def clean_skills(skills: Iterable[object] | str | None) -> list[str]:
    """A list of short skill tags; a comma-separated string is accepted too. Deduplicated, order kept."""
    if skills is None:
        return []
    if isinstance(skills, str):
        skills = skills.split(",")
    if not isinstance(skills, (list, tuple, set, frozenset)):
        raise InvalidInput("err.invalid", field="field.skills")
    out: list[str] = []
    seen: set[str] = set()
    for raw in skills:
        skill = clean_text(raw, field="field.skills", max_len=LIMITS["skill"], required=False)
        if skill and skill.casefold() not in seen:
            seen.add(skill.casefold())
            out.append(skill)
    if len(out) > LIMITS["skills"]:
        raise InvalidInput("err.too_many", field="field.skills", max=LIMITS["skills"])
    return out


def clean_code(code: object) -> str:
    """A typed join code: upper case, spaces and dashes dropped."""
    if not isinstance(code, str):
        raise InvalidInput("err.code")
    code = re.sub(r"[\s\-_.]", "", code).upper()
    if not code or len(code) > 12 or not code.isalnum():
        raise InvalidInput("err.code")
    return code


def join_limits(settings: dict) -> dict[str, int]:
    """A workshop's join cap and joins per minute (its settings, else the defaults)."""
    return {key: settings.get(key, default) for key, (default, _, _) in JOIN_LIMITS.items()}


_MEASURE_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")


def clean_view_settings(settings: object) -> dict:
    """The network display settings with only known keys and allowed values (anything else, as
    an imported bundle may carry, is dropped, so the console and the wall always draw)."""
    if not isinstance(settings, dict):
        return {}
    out: dict = {}
    for key, allowed in (("net_view", NETWORK_VIEWS), ("color_by", COLOUR_MODES)):
        if settings.get(key) in allowed:
            out[key] = settings[key]
    # A measure's name (network.SIZE_MODES, defined with the analysis that computes it): the
    # console offers only those, the figure draws an unknown one (an older bundle's) by degree.
    if isinstance(settings.get("size_by"), str) and _MEASURE_NAME.fullmatch(settings["size_by"]):
        out["size_by"] = settings["size_by"]
    if isinstance(settings.get("wall_sure_only"), bool):  # the wall shows only confident or confirmed placements
        out["wall_sure_only"] = settings["wall_sure_only"]
    for key, (_, low, high) in JOIN_LIMITS.items():
        value = settings.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
            out[key] = value
    filters = settings.get("filters")
    if isinstance(filters, dict):
        clean: dict = {}
        for key, allowed in (("circles", CIRCLES), ("flows", FLOWS), ("regions", REGIONS)):
            values = filters.get(key)
            if isinstance(values, list):
                clean[key] = [v for v in values if isinstance(v, str) and v in allowed]
        for key in ("min_strength", "min_trust"):
            if filters.get(key) in (1, 2, 3) and not isinstance(filters.get(key), bool):
                clean[key] = filters[key]
        if filters.get("dormant") in DORMANT_MODES:
            clean["dormant"] = filters["dormant"]
        out["filters"] = clean
    return out
