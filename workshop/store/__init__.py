"""All SQL of the product: every read and write of a workshop goes through this package, one
module per aggregate (workshops, rounds, participants, contacts, ideas, themes, votes,
collectifs, merges, ties, counters, retention, transfer); `store.X` names every public function.

Writes run in one transaction each (engine.begin_write: BEGIN IMMEDIATE on SQLite, the room's
row locked first on PostgreSQL), bump the workshop's `version` (what live views poll; a switch
of the wall's view alone does not: it changes no data), and are
idempotent where a person may submit twice (a UNIQUE submission id). The SQL is one dialect
that both engines run (engine.py spells it for PostgreSQL).
"""

from __future__ import annotations

from workshop.store.base import now_iso, snapshot, write  # noqa: F401
from workshop.store.collectifs import (  # noqa: F401
    add_next_step,
    collectifs,
    create_collectif,
    delete_collectif,
    set_membership,
    set_mobilised_contacts,
)
from workshop.store.contacts import (  # noqa: F401
    add_contact,
    clean_contact,
    contact,
    contacts_frame,
    contacts_of,
    delete_contact,
    update_contact,
)
from workshop.store.counters import counters, recent  # noqa: F401
from workshop.store.ideas import add_idea, delete_idea, ideas_frame, ideas_of, set_idea_hidden, update_idea, withdraw_idea  # noqa: F401
from workshop.store.merges import decide_merge, decide_merges, merges_frame, undo_merge  # noqa: F401
from workshop.store.participants import (  # noqa: F401
    delete_participant,
    get_participant,
    join,
    joins_per_minute,
    participant_by_token,
    participants_frame,
    remove_joined_between,
    remove_rehearsal,
    set_blocked,
    set_own_skills,
    skill_suggestions,
)
from workshop.store.retention import delete_workshop, expired_workshops, purge, purge_expired, workshops_list  # noqa: F401
from workshop.store.rounds import current_round, latest_open, plan_timers, room_marker, rounds, seconds_left, set_round  # noqa: F401
from workshop.store.themes import (  # noqa: F401
    MAX_NAMED_THEMES,
    confirm_placement,
    create_theme,
    delete_theme,
    merge_themes,
    move_idea,
    name_themes,
    rename_theme,
    reset_auto_themes,
    save_clustering,
    themes_frame,
)
from workshop.store.ties import census_cards, census_contact_ids, census_frame, record_census, record_ties, ties_frame, ties_of  # noqa: F401
from workshop.store.transfer import insert_payload, previous_workshop, workshop_rows  # noqa: F401
from workshop.store.votes import cast_votes, votes_of  # noqa: F401
from workshop.store.workshops import (  # noqa: F401
    authenticate_facilitator,
    clean_base_url,
    clean_new_workshop,
    create_workshop,
    get_workshop,
    update_view_settings,
    update_workshop,
    version,
    version_and_view,
    workshop_by_code,
    workshop_by_facilitator_token,
    workshop_secret,
)
