"""Vocabularies of the domain (circles, flows, rounds) and the plain records pages receive."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

CIRCLES = (
    "family",
    "classmates",
    "home_region",
    "current_colleagues",
    "former_colleagues",
    "clients",
    "suppliers",
    "partners",
    "hobby",
    "association",
    "investment_club",
    "other",
)

# The wall colours circles by family: at most 7 legend entries (with participants) that a room
# learns once, each keeping its colour all day whatever the sizes.
CIRCLE_FAMILIES = {
    "close": ("family", "home_region", "hobby"),
    "studies": ("classmates",),
    "work": ("current_colleagues", "former_colleagues"),
    "business": ("clients", "suppliers", "partners"),
    "commitment": ("association", "investment_club"),
    "other": ("other",),
}
CIRCLE_FAMILY = {circle: family for family, circles in CIRCLE_FAMILIES.items() for circle in circles}

# Market flows first, then the three non-market ones (Officience's five flows).
FLOWS = ("goods", "money", "knowledge", "trust", "emotion")
MARKET_FLOWS = ("goods", "money")
NON_MARKET_FLOWS = ("knowledge", "trust", "emotion")

ROUNDS = ("contacts", "ideas", "vote", "collectifs")
# What the wall can show, in the console's order (i18n: view.<name>).
PROJECTOR_VIEWS = ("counters", "network", "map", "ideas", "themes", "votes", "collectifs", "story")

# The network view's display settings (console → wall), each with its allowed values.
NETWORK_VIEWS = ("full", "bridges", "circles", "reach", "flows")
COLOUR_MODES = ("circle", "community", "sector", "region", "kind")
DORMANT_MODES = ("all", "dormant", "active")

# What a participant records about a contact (a third party), in the order forms and exports use.
CONTACT_FIELDS = (
    "label",
    "circle",
    "strength",
    "trust",
    "dormant",
    "last_contact_year",
    "flows",
    "region",
    "city",
    "organisation",
    "sector",
    "skills",
)

# The bundle's privacy levels (i18n: con.level.<name>); an aggregate bundle cannot be imported.
EXPORT_LEVELS = ("full", "pseudonymised", "aggregate")
IMPORTABLE_LEVELS = ("full", "pseudonymised")


def _catalogue_languages() -> tuple[str, ...]:
    """The languages are the catalogue modules in workshop/i18n/ (fr.py, en.py, …), French first:
    adding a language is adding its module, and selectors, validation and import follow."""
    folder = Path(__file__).resolve().parent / "i18n"
    codes = sorted(path.stem for path in folder.glob("*.py") if re.fullmatch(r"[a-z]{2,3}", path.stem))
    return tuple(sorted(codes, key=lambda code: code != "fr"))


LANGUAGES = _catalogue_languages()

# Small ordinal scales: 1 = weak / little, 3 = strong / full.
STRENGTHS = (1, 2, 3)
TRUSTS = (1, 2, 3)

# French regions (2016 map) offered as suggestions; free text is accepted too.
REGIONS = (
    "Auvergne-Rhône-Alpes",
    "Bourgogne-Franche-Comté",
    "Bretagne",
    "Centre-Val de Loire",
    "Corse",
    "Grand Est",
    "Hauts-de-France",
    "Île-de-France",
    "Normandie",
    "Nouvelle-Aquitaine",
    "Occitanie",
    "Pays de la Loire",
    "Provence-Alpes-Côte d'Azur",
    "Outre-mer",
    "Étranger",
)

SECTORS = (
    "industrie",
    "numérique",
    "conseil",
    "finance",
    "santé",
    "éducation",
    "collectivité locale",
    "association",
    "commerce",
    "agriculture",
    "culture",
    "énergie",
    "transport",
    "BTP",
)

LIMITS = {
    "name": 40,
    "label": 60,
    "idea": 280,
    "place": 60,
    "skill": 40,
    "skills": 12,
    "title": 120,
    "question": 300,
    "theme": 80,
    "next_step": 200,
    "contacts_per_participant": 500,
    "participants_per_workshop": 2000,
    "ideas_per_participant": 100,
    # "Qui se connaît ?": a participant's 30 most recent contacts at most (30·29/2 = 435 pairs).
    "census_contacts": 30,
    "ties_per_participant": 435,
}
RETENTION_DAYS = (1, 3650)  # a workshop is kept this many days at least and at most
CENSUS_MIN_CONTACTS = 3  # the census is offered from this many contacts on
# Joining, per workshop (its settings; counted in the database, so they hold across servers):
# setting -> (default, smallest, largest). A guest's script cannot fill the room in seconds.
JOIN_LIMITS = {  # the demo, the rehearsal and the load test (a conference at once) open them wide
    "max_participants": (500, 2, 2000),  # 2000: LIMITS["participants_per_workshop"]
    "joins_per_minute": (300, 10, 2000),  # a room of 200 scanning the QR together joins in 1-2 min
}


@dataclass(frozen=True)
class Workshop:
    id: int
    code: str
    title: str
    language: str
    question: str
    join_locked: bool
    retention_date: str
    created_at: str
    show_labels: bool
    anonymous: bool
    public_base_url: str
    vote_dots: int
    projector_view: str
    version: int
    settings: dict = field(default_factory=dict)
    grouped_at: str | None = None  # when the ideas were last grouped (new ideas are then placed at once)


@dataclass(frozen=True)
class Participant:
    id: int
    workshop_id: int
    display_name: str
    skills_offered: list
    skills_sought: list
    blocked: bool
    joined_at: str
    show_name: bool = False
    rehearsal: bool = False  # made by the console's rehearsal: exempt from round gating, removed in one click


@dataclass(frozen=True)
class Round:
    name: str
    is_open: bool
    ends_at: str | None
    opened_at: str | None
    planned_minutes: int = 0  # the timer the console proposes (the last one used, or a template's)


# A page script runs again at every rerun: a dataclass defined there costs ~1 ms each time (its
# methods are generated with exec), so the pages' own records live here.
@dataclass(frozen=True)
class Mine:
    """What a participant's section shows of them, read again at each of its runs."""

    rounds: dict[str, Round]
    contacts: list[dict]
    ideas: list[dict]


@dataclass(frozen=True)
class Words:
    """A sentence in no language yet: a catalogue key and its parameters (Words, numbers or text),
    said in the page's language by i18n.say. Analysis returns these (or tuples of them and text,
    said one after the other), never text in a language."""

    key: str
    params: dict = field(default_factory=dict, hash=False)
