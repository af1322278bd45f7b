"""The "Qui se connaît ?" step as data: which contact's card comes next and which of the
participant's other contacts it shows. One contact at a time, the others as chips (Network
Canvas's one-to-many census, about n screens for n contacts); a pair is asked once."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from workshop.model import CENSUS_MIN_CONTACTS, LIMITS


@dataclass(frozen=True)
class Card:
    """One contact's card: the contacts not yet asked about with it, and those already tied to it."""

    contact: dict
    choices: list[dict]  # the other census contacts still to ask about, in the participant's order
    known: list[int]  # ids among `choices` already stated as knowing it (pre-ticked)
    left: int  # cards with something to ask, this one included


@dataclass(frozen=True)
class Census:
    """Where a participant's census stands."""

    offered: bool  # enough contacts to ask about (CENSUS_MIN_CONTACTS)
    covered: int  # contacts the census covers (the most recent LIMITS["census_contacts"])
    left_out: int  # older contacts beyond that bound (the page says so)
    asked: int  # pairs asked so far
    pairs: int  # pairs among the covered contacts
    ties: int  # pairs stated as knowing each other
    card: Card | None  # the next card, None when every pair was asked


def asked(a: int, b: int, cards: Mapping[int, int]) -> bool:
    """Was the pair asked? A card answered for x covered every contact up to its `upto` id."""
    return cards.get(a, 0) >= b or cards.get(b, 0) >= a


def covered(contacts: Sequence[dict]) -> list[dict]:
    """The contacts the census covers: the most recent ones, in the order they were entered."""
    ordered = sorted(contacts, key=lambda c: c["id"])
    return ordered[-LIMITS["census_contacts"] :]


def census(contacts: Sequence[dict], ties: Sequence[tuple[int, int]], cards: Mapping[int, int]) -> Census:
    """The census of one participant from their contacts, stated ties and answered cards."""
    people = covered(contacts)
    ids = [c["id"] for c in people]
    tied = {tuple(sorted(p)) for p in ties}
    n_asked = sum(asked(a, b, cards) for i, a in enumerate(ids) for b in ids[i + 1 :])
    # Walk the cards in the participant's order as if each were answered: a pair left open by an
    # earlier card (a contact added since) is asked on the first card that still holds it, and
    # every pair on exactly one card.
    walk = dict(cards)
    open_cards = []
    for a in ids:
        choices = [b for b in ids if b != a and not asked(a, b, walk)]
        if choices:
            open_cards.append((a, choices))
            walk[a] = max(ids)
    by_id = {c["id"]: c for c in people}
    card = None
    if open_cards:
        first, choice_ids = open_cards[0]
        card = Card(
            contact=by_id[first],
            choices=[by_id[b] for b in choice_ids],
            known=[b for b in choice_ids if tuple(sorted((first, b))) in tied],
            left=len(open_cards),
        )
    n = len(ids)
    in_scope = {(a, b) for a, b in tied if a in by_id and b in by_id}
    return Census(
        offered=len(contacts) >= CENSUS_MIN_CONTACTS,
        covered=n,
        left_out=max(0, len(contacts) - n),
        asked=n_asked,
        pairs=n * (n - 1) // 2,
        ties=len(in_scope),
        card=card,
    )


def partners(contact_id: int, contacts: Sequence[dict], ties: Sequence[tuple[int, int]]) -> tuple[list[dict], list[int]]:
    """For the contact's own dialog: every other covered contact, and those tied to it now."""
    people = covered(contacts)
    if contact_id not in {c["id"] for c in people}:
        return [], []
    others = [c for c in people if c["id"] != contact_id]
    known = sorted({b if a == contact_id else a for a, b in ties if contact_id in (a, b)})
    return others, [k for k in known if any(c["id"] == k for c in others)]
