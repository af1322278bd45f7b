"""What the wall shows, as plain data: pages that rotate, the room's growth over a round, and the
latest arrivals on the map (anonymised as the privacy mode requires). No Streamlit here.

The wall is laid out on a fixed 1920×1080 canvas (the boot script scales it to the projector's
screen), so how many items fit on one page is known here, not measured in the browser."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from workshop.model import CIRCLE_FAMILY, Round, Words, Workshop
from workshop.network import Analysis, Room, describe_help, help_index, offered_by_contacts, who_can_help

PAGE_SECONDS = 12  # how long one page of ideas, themes or collectifs stays on the wall
PER_PAGE = {"ideas": 9, "themes": 6, "collectifs": 6}  # what fits the canvas below the header
IDEA_PAGES = 4  # the newest ideas the wall rotates through (the rest are on the phones and in the export)
GROWTH_BUCKETS = 24  # points of the growth curve over the round


@dataclass(frozen=True)
class Page:
    items: list
    index: int  # 0-based
    count: int  # pages in all (1 when everything fits)


def rotation_slot(now: float, *, seconds: int = PAGE_SECONDS) -> int:
    """The rotation's tick: every wall open on a room shows the same page at the same time."""
    return int(now // seconds)


def page_of(items: Sequence, *, per_page: int, slot: int) -> Page:
    """The page of `items` to show at this rotation tick."""
    count = max(1, math.ceil(len(items) / per_page))
    index = slot % count
    return Page(list(items[index * per_page : (index + 1) * per_page]), index, count)


def ideas_page(ideas: Sequence[dict], *, slot: int, now: dt.datetime, per_page: int = PER_PAGE["ideas"]) -> Page:
    """The ideas wall's page (newest first): while the newest idea is younger than one page's
    turn, every wall shows the first page, where it is; then the rotation goes on. A new idea is
    on the wall at its next refresh, whatever page the wall was on (it waited up to 38 s)."""
    page = page_of(ideas, per_page=per_page, slot=slot)
    fresh_since = (now - dt.timedelta(seconds=PAGE_SECONDS)).isoformat(timespec="seconds")
    if page.index and ideas and str(ideas[0]["created_at"]) >= fresh_since:
        return Page(list(ideas[:per_page]), 0, page.count)
    return page


def growth(times: pd.Series, *, start: dt.datetime, now: dt.datetime, buckets: int = GROWTH_BUCKETS) -> list[tuple[float, int]]:
    """(minutes since start, how many so far) at `buckets` evenly spaced moments of [start, now].

    `times` are ISO timestamps (UTC) of what arrived; what arrived before `start` counts from the
    first point, so the curve starts at the room's level when the round opened."""
    span = max((now - start).total_seconds(), 60.0)
    stamps = pd.to_datetime(pd.Series(times, dtype="object"), utc=True, errors="coerce").dropna()
    seconds = ((stamps - pd.Timestamp(start)).dt.total_seconds()).to_numpy()
    points = []
    for k in range(buckets + 1):
        at = span * k / buckets
        points.append((round(at / 60, 2), int((seconds <= at).sum())))
    return points


@dataclass(frozen=True)
class Arrival:
    who: str  # the participant's chosen name, "" in an anonymous workshop
    family: str  # the contact's circle family (model.CIRCLE_FAMILIES), never its label
    region: str


def latest_arrivals(contacts: pd.DataFrame, *, anonymous: bool, limit: int = 6) -> list[Arrival]:
    """The newest contacts on the map, newest first: who added one, its circle family and region.

    A contact's label is a third party's name and never reaches the wall here."""
    if contacts.empty:
        return []
    newest = contacts.sort_values(["created_at", "id"], ascending=False).head(limit)
    return [
        Arrival(
            who="" if anonymous else str(row.owner or ""),
            family=CIRCLE_FAMILY.get(row.circle, "other"),
            region=str(row.region or ""),
        )
        for row in newest.itertuples(index=False)
    ]


@dataclass(frozen=True)
class WallFrame:
    """What every view of one projector run is drawn from (defined here, not in the page script
    that runs again at every refresh: a dataclass costs ~1 ms to define)."""

    w: object
    version: int
    since: str
    fresh: object
    counters: dict


def look_of(view: str, settings: Mapping) -> str:
    """What the wall shows, as one comparable string: its view and display settings (a switch of
    either moves no data version)."""
    return json.dumps([view, settings], sort_keys=True)


@dataclass(frozen=True)
class Pulse:
    """What one tick of the wall's clock reads (one connection): the room and its current round."""

    room: Workshop
    current: Round | None

    @property
    def look(self) -> str:
        return look_of(self.room.projector_view, self.room.settings)

    @property
    def head(self) -> str:
        """The header's words: a change redraws the whole page, the QR included."""
        return json.dumps([self.room.title, self.room.question, self.room.code, self.room.language])


@dataclass(frozen=True)
class Drawn:
    """What the wall's view on screen was drawn from: its pulse's data version, look and header,
    when (monotonic seconds), the rotation slot, and how many pages the view turns through."""

    version: int
    look: str
    head: str
    at: float
    slot: int
    pages: int = 1


def drawn_from(pulse: Pulse, *, at: float, slot: int, pages: int) -> Drawn:
    return Drawn(version=pulse.room.version, look=pulse.look, head=pulse.head, at=at, slot=slot, pages=pages)


def what_to_redraw(drawn: Drawn, pulse: Pulse, *, now: float, slot: int, wait: float, age_limit: float) -> str | None:
    """What one tick of the wall's clock redraws: "page" when the header changed (rare: a new
    title, question or language), "view" when the look, the page of a rotating view or the data
    changed, or the drawing is older than `age_limit` ("new" highlights age), else nothing. New
    data waits `wait` seconds after the last drawing (a room writing all the time would otherwise
    recompute its network without a pause); a switched look does not."""
    age = now - drawn.at
    if pulse.head != drawn.head:
        return "page"
    if pulse.look != drawn.look or (drawn.pages > 1 and slot != drawn.slot) or age > age_limit:
        return "view"
    if pulse.room.version != drawn.version and age >= wait:
        return "view"
    return None


@dataclass(frozen=True)
class Slide:
    """One finding of the story view, in large type: a title, a headline, a line of detail, and
    the counts its picture draws (largest first)."""

    kind: str
    title: object  # Words, or Words and text in a tuple (i18n.say): the wall says them in its language
    headline: object
    detail: object
    picture: dict  # label (Words or text) -> count


def told(slides: Sequence[Slide], say: Callable[[object], str]) -> list[Slide]:
    """The slides with every text said by `say` (i18n.say in the wall's language)."""
    return [
        Slide(s.kind, say(s.title), say(s.headline), say(s.detail), {say(label): n for label, n in s.picture.items()})
        for s in slides
    ]


def _names(names: Sequence[str], *, anonymous: bool, top: int = 4) -> str:
    """ "Ana, Ben, Chloé (+2)", or "" in an anonymous workshop."""
    if anonymous or not names:
        return ""
    shown = ", ".join(names[:top])
    return shown + (f" (+{len(names) - top})" if len(names) > top else "")


def cards_with_help(cards: Sequence[dict], room: Room, *, circle_words: Mapping | None = None) -> list[dict]:
    """Theme cards, each with what it needs that only some of the room reaches, and who: its
    "help" Words for a wall that names people (False) and for an anonymous one (True)."""
    names = dict(zip(room.participants["id"], room.participants["display_name"], strict=True))
    index = help_index(room.contacts, circle_words=circle_words)
    out = []
    for card in cards:
        needs = who_can_help(card["asked"], index, texts=card["texts"])
        help_text = {anonymous: describe_help(needs, names, anonymous=anonymous) for anonymous in (False, True)}
        out.append({**card, "help": help_text})
    return out


def story(analysis: Analysis, room: Room, cards: Sequence[dict], *, anonymous: bool, show_labels: bool) -> list[Slide]:
    """The room's findings, one per screen, in a fixed order; a finding the room has no data for
    yet is left out (a room that has mapped nothing gets no slide).

    `analysis` is network.analyse's result for `room`; `cards` the theme cards with the
    "help" each carries on the wall. Contacts' labels appear only when `show_labels`. Every
    text is Words, said in the wall's language by the caller."""

    slides = []
    bridges = analysis.bridge_contacts
    if bridges:
        top = bridges[0]
        spread = Counter(min(b["count"], 5) for b in bridges)
        picture = {Words("story.known_by", {"n": f"{k}+" if k == 5 else k}): spread[k] for k in sorted(spread, reverse=True)}
        who = _names(top["known_by"], anonymous=anonymous)
        label = f" — {top['label']}" if show_labels else ""
        slides.append(
            Slide(
                "bridge",
                Words("story.bridge"),
                (Words("story.bridge_head", {"n": top["count"]}), label),
                Words("story.bridge_detail", {"n": len(bridges), "who": who})
                if who
                else Words("story.bridge_count", {"n": len(bridges)}),
                picture,
            )
        )
    sleeping = analysis.sleeping_capital
    if sleeping:
        families: Counter = Counter()
        for circle, n in sleeping.items():
            families[Words(f"family.{CIRCLE_FAMILY.get(circle, 'other')}")] += n
        best, most = families.most_common(1)[0]
        slides.append(
            Slide(
                "sleeping",
                Words("story.sleeping"),
                Words("story.sleeping_head", {"n": sum(families.values())}),
                Words("story.sleeping_detail", {"family": best, "n": most}),
                dict(families.most_common(6)),
            )
        )
    reach = analysis.collective_reach
    regions, sectors = reach.get("region") or {}, reach.get("sector") or {}
    if regions or sectors:
        first = next(iter(regions), "") or next(iter(sectors), "")
        slides.append(
            Slide(
                "reach",
                Words("story.reach"),
                Words("story.reach_head", {"regions": len(regions), "sectors": len(sectors)}),
                # The figure Portée shows too: contacts there, each person once (collective_reach).
                Words("story.reach_detail", {"place": first, "n": regions.get(first) or sectors.get(first, 0)}),
                dict(list(regions.items())[:8]) or dict(list(sectors.items())[:8]),
            )
        )
    if not room.participants.empty:
        sought = Counter(s for skills in room.participants["skills_sought"] for s in skills)
        if sought:
            skill, n = sought.most_common(1)[0]
            offered_by = [p["display_name"] for p in room.participants.to_dict("records") if skill in p["skills_offered"]]
            # Contacts who offer it, each once (counting seeker × contact pairs said "5 529" of 2,674).
            via_contacts = offered_by_contacts(room.contacts, skill)
            who = _names(offered_by, anonymous=anonymous)
            if who:
                detail = Words("story.skill_offered", {"who": who})
            else:
                detail = Words("story.skill_offered_n", {"n": len(offered_by)}) if offered_by else Words("story.skill_nobody")
            if via_contacts:
                detail = (detail, " · ", Words("story.skill_contacts", {"n": via_contacts}))
            slides.append(
                Slide(
                    "skill",
                    Words("story.skill"),
                    Words("story.skill_head", {"skill": skill, "n": n}),
                    detail,
                    dict(sought.most_common(6)),
                )
            )
    if cards:
        ranked = sorted(cards, key=lambda c: (-c["votes"], -c["ideas"], c["id"]))
        actionable = [c for c in ranked if c["help"]] or ranked
        best = actionable[0]
        slides.append(
            Slide(
                "theme",
                Words("story.theme"),
                best["label"],
                best["help"] or Words("story.theme_votes", {"n": best["votes"]}),
                {c["label"]: int(c["votes"]) for c in ranked[:6]},
            )
        )
    return slides
