"""What a participant's phone reads and writes, each on a pooled connection: the page calls
`phone.<name>(…)` without a database in hand (one seam), and confirms every write from what it
reads back."""

from __future__ import annotations

from workshop import links, rooms, store
from workshop.model import Mine, Participant, Round, Workshop
from workshop.ui.session import get_db, on_db

latest_open = store.latest_open
participant_url = links.participant_url


# Writes (each one transaction in the store, idempotent by its submission id where it adds).
add_contact = on_db(store.add_contact)
delete_contact = on_db(store.delete_contact)
record_ties = on_db(store.record_ties)
set_own_skills = on_db(store.set_own_skills)
post_idea = on_db(rooms.post_idea)
update_idea = on_db(store.update_idea)
withdraw_idea = on_db(store.withdraw_idea)
cast_votes = on_db(store.cast_votes)
set_membership = on_db(store.set_membership)
set_mobilised_contacts = on_db(store.set_mobilised_contacts)
add_next_step = on_db(store.add_next_step)
# Reads.
contact = on_db(store.contact)
census_of = on_db(rooms.census_of)
contact_partners = on_db(rooms.contact_partners)
votes_of = on_db(store.votes_of)
collectifs = on_db(store.collectifs)
my_place = on_db(rooms.my_place)
version = on_db(store.version)


def arrive(token: str) -> tuple[Workshop, Participant, Round | None, str]:
    """The page's first read, on one connection: the participant's workshop, themselves, the
    current round and the room's marker (WorkshopError for an unknown or suspended link)."""
    with get_db() as db:
        workshop, me = store.participant_by_token(db, token)
        return workshop, me, store.latest_open(store.rounds(db, workshop.id)), store.room_marker(db, workshop.id)


def suspended(token: str) -> Participant:
    """A suspended participant (their data stays theirs to erase)."""
    with get_db() as db:
        return store.participant_by_token(db, token, allow_blocked=True)[1]


def mine(workshop_id: int, participant_id: int) -> Mine:
    """The rounds and this participant's own contacts and ideas, on one connection."""
    with get_db() as db:
        return Mine(store.rounds(db, workshop_id), store.contacts_of(db, participant_id), store.ideas_of(db, participant_id))


def update_contact(me: Participant, contact_id: int, fields: dict, *, ties: tuple[list[int], list[int], str] | None) -> None:
    """A contact's new fields, and the ties its dialog showed as ticked now (`ties` = (knows,
    shown, submission id)), on one connection."""
    with get_db() as db:
        store.update_contact(db, me, contact_id, **fields)
        if ties:
            knows, shown, sid = ties
            store.record_ties(db, me, contact_id, knows=knows, shown=shown, submission_id=sid)
