"""Rehearse and reuse: a workshop saved as a template (a small JSON file the facilitator keeps,
so it travels from one laptop to the next and no server holds another facilitator's plans),
and a new workshop started from one. Nobody's data is in a template: no participant, contact,
idea or vote, only the facilitator's preparation."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field

from workshop import store, validation
from workshop.engine import Database
from workshop.errors import InvalidInput
from workshop.model import LANGUAGES, LIMITS, RETENTION_DAYS, ROUNDS, Workshop

FORMAT = "thinkdo-template"
VERSION = 1
MAX_BYTES = 64 * 1024  # a template is a few hundred bytes; anything larger is not one of ours
MAX_THEMES = 40  # a day's tracks, with room to spare


@dataclass(frozen=True)
class Template:
    """What a facilitator prepares for a day, without anyone's data."""

    title: str
    question: str = ""
    language: str = "fr"
    timers: dict[str, int] = field(default_factory=dict)  # round -> planned minutes
    theme_names: list[str] = field(default_factory=list)
    settings: dict = field(default_factory=dict)  # the network view's colour, size and filters
    show_labels: bool = False
    anonymous: bool = False
    vote_dots: int = 5
    retention_days: int = 90


def from_workshop(db: Database, workshop_id: int) -> Template:
    """The template of a workshop: its settings, its rounds' timers, the themes the facilitator named."""
    w = store.get_workshop(db, workshop_id)
    themes = store.themes_frame(db, workshop_id)
    named = [str(r["label"]) for r in themes.to_dict("records") if r.get("renamed")] if not themes.empty else []
    days = (dt.date.fromisoformat(w.retention_date) - dt.date.fromisoformat(w.created_at[:10])).days
    return Template(
        title=w.title,
        question=w.question,
        language=w.language,
        timers={name: r.planned_minutes for name, r in store.rounds(db, workshop_id).items() if r.planned_minutes},
        theme_names=list(dict.fromkeys(named))[:MAX_THEMES],
        settings=dict(w.settings),
        show_labels=w.show_labels,
        anonymous=w.anonymous,
        vote_dots=w.vote_dots,
        retention_days=min(max(days, RETENTION_DAYS[0]), RETENTION_DAYS[1]),
    )


def to_json(template: Template) -> bytes:
    return json.dumps({"format": FORMAT, "version": VERSION, **asdict(template)}, ensure_ascii=False, indent=1).encode()


def from_json(data: bytes) -> Template:
    """Read and check a template file; anything unexpected is refused with err.template, never half-used."""
    if not isinstance(data, bytes | bytearray) or len(data) > MAX_BYTES:
        raise InvalidInput("err.template")
    try:
        raw = json.loads(bytes(data).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput("err.template") from exc
    if not isinstance(raw, dict) or raw.get("format") != FORMAT or raw.get("version") != VERSION:
        raise InvalidInput("err.template")
    return clean(raw)


def clean(raw: dict) -> Template:
    """Every field validated as the console validates it (a hand-edited file is a stranger's input)."""
    language = raw.get("language", "fr")
    if language not in LANGUAGES:
        raise InvalidInput("err.invalid", field="field.language")
    timers = raw.get("timers") or {}
    if not isinstance(timers, dict) or any(
        name not in ROUNDS or isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= 600 for name, v in timers.items()
    ):
        raise InvalidInput("err.invalid", field="field.timer")
    names = raw.get("theme_names") or []
    if not isinstance(names, list) or len(names) > MAX_THEMES:
        raise InvalidInput("err.template_themes", max=MAX_THEMES)
    themes = [validation.clean_text(n, field="field.theme", max_len=LIMITS["theme"], required=False) for n in names]
    dots, days = raw.get("vote_dots", 5), raw.get("retention_days", 90)
    if isinstance(dots, bool) or not isinstance(dots, int) or not 1 <= dots <= 20:
        raise InvalidInput("err.invalid", field="field.vote_dots")
    if isinstance(days, bool) or not isinstance(days, int) or not RETENTION_DAYS[0] <= days <= RETENTION_DAYS[1]:
        raise InvalidInput("err.retention")
    return Template(
        title=validation.clean_text(raw.get("title"), field="field.title", max_len=LIMITS["title"]),
        question=validation.clean_text(
            raw.get("question", ""), field="field.question", max_len=LIMITS["question"], required=False, multiline=True
        ),
        language=language,
        timers=dict(timers),
        theme_names=list(dict.fromkeys(t for t in themes if t)),
        settings=validation.clean_view_settings(raw.get("settings") or {}),
        show_labels=raw.get("show_labels") is True,
        anonymous=raw.get("anonymous") is True,
        vote_dots=dots,
        retention_days=days,
    )


def start(
    db: Database, template: Template, *, title: str = "", public_base_url: str = "", token: str | None = None
) -> tuple[Workshop, str]:
    """A new workshop from a template (its own code, and facilitator key `token` or a new one);
    returns it with the key."""
    w, token = store.create_workshop(
        db,
        token=token,
        title=title or template.title,
        language=template.language,
        question=template.question,
        retention_days=template.retention_days,
        public_base_url=public_base_url,
        settings=template.settings,
    )
    store.update_workshop(db, w.id, show_labels=template.show_labels, anonymous=template.anonymous, vote_dots=template.vote_dots)
    store.plan_timers(db, w.id, template.timers)
    for name in template.theme_names:
        store.create_theme(db, w.id, name, renamed=True)
    return store.get_workshop(db, w.id), token
