"""Each figure the wall shows, computed from a small room's raw rows and compared: *Carte*
counts participants, *Portée*, *Histoire* and the report count contacts with each person once
(two participants who name the same person, once merged, count one), and each view says which."""

from __future__ import annotations

from workshop import i18n, regions_map, rooms, store, wall


def small_room(db):
    workshop, _ = store.create_workshop(db, title="Petite salle")
    store.set_round(db, workshop.id, "contacts", is_open=True)
    ana = store.join(db, workshop.code, "Ana", token="tok-figures-ana-000000")
    bea = store.join(db, workshop.code, "Béa", token="tok-figures-bea-000000")
    cyr = store.join(db, workshop.code, "Cyr", token="tok-figures-cyr-000000")
    rows = [
        (ana, "Marie Dupont", "Bretagne", "Santé"),
        (ana, "Paul R.", "Bretagne", ""),
        (ana, "Zoé T.", "Occitanie", "Santé"),
        (bea, "Marie Dupont", "Bretagne", "Santé"),  # the same person as Ana's, merged below
        (bea, "Anne L.", "Bretagne", "Industrie"),
        (cyr, "Luc M.", "Île-de-France", "Industrie"),
    ]
    ids = [
        store.add_contact(db, who, submission_id=f"f{n}", label=label, circle="family", region=region, sector=sector)
        for n, (who, label, region, sector) in enumerate(rows)
    ]
    store.decide_merge(db, workshop.id, kind="contact", a_id=ids[0], b_id=ids[3], status="confirmed")
    return workshop


def test_each_figure_of_the_map_the_reach_and_the_story_matches_the_raw_rows(db):
    workshop = small_room(db)
    raw = db.conn.execute(
        "SELECT region, count(*), count(DISTINCT participant_id) FROM contacts WHERE workshop_id = ? GROUP BY region",
        [workshop.id],
    ).fetchall()
    mentions = {region: n for region, n, _ in raw}
    participants = {region: n for region, _, n in raw}
    assert mentions == {"Bretagne": 4, "Occitanie": 1, "Île-de-France": 1}
    persons = {"Bretagne": 3, "Occitanie": 1, "Île-de-France": 1}  # Marie Dupont once

    reading = rooms.read(db, workshop.id)
    # Carte: participants who know someone there.
    assert (
        regions_map.participants_reaching(reading.room.contacts)
        == participants
        == {"Bretagne": 2, "Occitanie": 1, "Île-de-France": 1}
    )
    # Portée (the console and the wall read analysis.collective_reach): each person once.
    assert reading.analysis.collective_reach["region"] == persons
    assert reading.analysis.collective_reach["sector"] == {"Industrie": 2, "Santé": 2}
    # Histoire: the same figure, with its unit, in French that agrees with the count.
    slide = next(
        s for s in wall.story(reading.analysis, reading.room, [], anonymous=False, show_labels=False) if s.kind == "reach"
    )
    assert slide.picture == persons
    assert i18n.say(slide.headline, "fr") == "Régions : 3 · secteurs : 2"
    assert i18n.say(slide.detail, "fr") == "En tête : Bretagne, 3 contacts (chaque personne une fois)"
    assert i18n.say(slide.detail, "en") == "Ahead: Bretagne, 3 contacts (each person once)"
    # Each view names its unit.
    assert i18n.t("net.by.region", "fr") == "Contacts par région (chaque personne une fois)"
    assert i18n.t("map.row", "fr", n="2") == "2 participants"


def test_a_one_region_room_says_it_in_correct_french(db):
    workshop, _ = store.create_workshop(db, title="Une région")
    store.set_round(db, workshop.id, "contacts", is_open=True)
    ana = store.join(db, workshop.code, "Ana", token="tok-figures-one-000000")
    store.add_contact(db, ana, submission_id="o1", label="Marc", circle="family", region="Bretagne")
    reading = rooms.read(db, workshop.id)
    slide = next(
        s for s in wall.story(reading.analysis, reading.room, [], anonymous=False, show_labels=False) if s.kind == "reach"
    )
    assert i18n.say(slide.headline, "fr") == "Régions : 1 · secteurs : 0"  # was "1 régions · 0 secteurs"
