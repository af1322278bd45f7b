"""What the wall shows, as plain data: pages that rotate, the room's growth over a round, and the
latest arrivals on the map (anonymised as the privacy mode requires). No Streamlit here.

The wall is laid out on a fixed 1920×1080 canvas (the boot script scales it to the projector's
screen), so how many items fit on one page is known here, not measured in the browser."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from workshop.model import CIRCLE_FAMILY

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
    at: str


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
            at=str(row.created_at),
        )
        for row in newest.itertuples(index=False)
    ]
