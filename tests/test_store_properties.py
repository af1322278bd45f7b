"""Hostile input against the store: thousands of generated submissions; each is either written
(and reads back cleaned) or refused with a WorkshopError, never a crash or a half-written row."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workshop import config, export, store
from workshop.errors import ImportRefused, InvalidInput, WorkshopError
from workshop.model import CIRCLES, FLOWS, LIMITS

_ids = itertools.count()
anything = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 3000), st.text(max_size=80), st.lists(st.text(max_size=10), max_size=15)
)
contact_fields = st.fixed_dictionaries(
    {"label": st.one_of(st.text(max_size=90), anything), "circle": st.one_of(st.sampled_from(CIRCLES), anything)},
    optional={
        "strength": anything,
        "trust": anything,
        "dormant": anything,
        "last_contact_year": anything,
        "flows": st.one_of(st.lists(st.sampled_from(FLOWS)), anything),
        "region": anything,
        "city": anything,
        "organisation": anything,
        "sector": anything,
        "skills": anything,
    },
)
SLOW = {"deadline": None, "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]}


@pytest.mark.slow  # thousands of examples: the full suite runs them, the inner loop does not
@settings(max_examples=3000, **SLOW)
@given(contact_fields)
def test_add_contact_writes_cleanly_or_refuses(db, room, fields):
    before = db.execute("SELECT count(*) FROM contacts").fetchone()[0]
    try:
        cid = store.add_contact(db, room["alice"], submission_id=f"h{next(_ids)}", **fields)
    except WorkshopError:
        assert db.execute("SELECT count(*) FROM contacts").fetchone()[0] == before
        return
    saved = store.contact(db, room["alice"], cid)
    assert saved["circle"] in CIRCLES and 1 <= saved["strength"] <= 3 and 1 <= saved["trust"] <= 3
    assert 0 < len(saved["label"]) <= LIMITS["label"] and saved["label"] == saved["label"].strip()
    assert set(saved["flows"]) <= set(FLOWS)
    store.delete_contact(db, room["alice"], cid)  # keep the participant under the contacts limit


@pytest.mark.slow  # thousands of examples: the full suite runs them, the inner loop does not
@settings(max_examples=2000, **SLOW)
@given(st.text(max_size=400), st.one_of(st.none(), st.lists(st.text(max_size=50), max_size=15), anything))
def test_add_idea_writes_cleanly_or_refuses(db, room, text, tags):
    try:
        iid = store.add_idea(db, room["bob"], submission_id=f"i{next(_ids)}", text=text, tags=tags)
    except WorkshopError:
        return
    (row,) = [i for i in store.ideas_of(db, room["bob"].id) if i["id"] == iid]
    assert 0 < len(row["text"]) <= LIMITS["idea"]
    store.withdraw_idea(db, room["bob"], iid)


@pytest.mark.slow  # thousands of examples: the full suite runs them, the inner loop does not
@settings(max_examples=1000, **SLOW)
@given(st.one_of(st.text(max_size=60), anything), st.text(max_size=20))
def test_join_accepts_or_refuses_clearly(db, room, name, code):
    for attempt_code in (room["workshop"].code, code):
        try:
            p = store.join(db, attempt_code, name, token=f"tok-h-{next(_ids)}-padding")
        except WorkshopError:
            continue
        assert 0 < len(p.display_name) <= LIMITS["name"]


def test_contacts_past_the_per_participant_limit_are_refused(db, room):
    limit = LIMITS["contacts_per_participant"]
    for i in range(limit):
        store.add_contact(db, room["alice"], submission_id=f"many-{i}", label=f"C{i}", circle="other")
    with pytest.raises(InvalidInput) as err:
        store.add_contact(db, room["alice"], submission_id="many-over", label="One too many", circle="other")
    assert str(limit) in err.value.message("fr")
    assert store.counters(db, room["workshop"].id)["contacts"] == limit


def test_fifty_megabyte_upload_refused_without_reading_it_all(db):
    before = db.execute("SELECT count(*) FROM workshops").fetchone()[0]
    with pytest.raises(ImportRefused) as err:
        export.import_bundle(db, b"PK" + b"\0" * (50 * 2**20))
    assert err.value.key == "imp.too_big" and str(config.MAX_IMPORT_BYTES // 2**20) in err.value.message("fr")
    assert db.execute("SELECT count(*) FROM workshops").fetchone()[0] == before
