"""The command line on real SQLite files: migrate deletes nothing, purge backs up first and names
what it deletes, backup/restore round-trip, export/import, demo."""

from __future__ import annotations

import datetime as dt
import json
import zipfile

import pytest

from workshop import db as dbmod
from workshop import engine, store
from workshop.__main__ import main
from workshop.errors import InvalidInput


def _expire(db, workshop_id: int, days: int = 30) -> None:
    """Set a deletion date in the past, as a clock jump or an old import would."""
    past = (dt.date.today() - dt.timedelta(days=days)).isoformat()
    db.conn.execute("UPDATE workshops SET retention_date = ? WHERE id = ?", [past, workshop_id])


def test_a_past_deletion_date_is_refused_with_a_clear_message(db, room):
    wid = room["workshop"].id
    last_year = dt.date.today() - dt.timedelta(days=365)
    with pytest.raises(InvalidInput) as err:
        store.update_workshop(db, wid, retention_date=last_year)
    assert err.value.key == "err.retention_past"
    assert last_year.strftime("%d/%m/%Y") in err.value.message("fr") and "passée" in err.value.message("fr")
    store.update_workshop(db, wid, retention_date=dt.date.today())  # today is fine
    store.update_workshop(db, wid, retention_date=dt.date.today() + dt.timedelta(days=10))
    _expire(db, wid)
    # Saving other settings of an already expired workshop does not trip on its unchanged date.
    store.update_workshop(db, wid, title="Nouveau titre", retention_date=store.get_workshop(db, wid).retention_date)
    assert store.get_workshop(db, wid).title == "Nouveau titre"


def test_migrate_deletes_nothing_even_past_the_deletion_date(db, database, room, capsys):
    _expire(db, room["workshop"].id)
    store.add_contact(db, room["alice"], submission_id="keep", label="Gardé", circle="family")
    assert main(["migrate", "--db", database]) == 0
    assert "purge --expired" in capsys.readouterr().out
    assert store.counters(db, room["workshop"].id)["contacts"] == 1


def test_purge_takes_a_backup_first_and_names_what_it_deletes(db, database, db_path, room, capsys, monkeypatch):
    monkeypatch.setenv("WORKSHOP_DB", str(db_path))  # PostgreSQL's safety bundles go to its data/ folder
    keep, _ = store.create_workshop(db, title="Récent")
    _expire(db, room["workshop"].id)
    store.add_contact(db, room["alice"], submission_id="gone", label="Effacé", circle="family")
    assert main(["purge", "--db", database, "--expired"]) == 0
    out = capsys.readouterr()
    assert room["workshop"].code in out.err and "purged 1 workshop(s)" in out.out
    assert [w["id"] for w in store.workshops_list(db)] == [keep.id]
    if engine.of(db) == engine.SQLITE:
        (backup,) = (db_path.parent / "backups").glob("*-before-purge-*.db")
        old = dbmod.connect(backup)
        assert store.counters(old, room["workshop"].id)["contacts"] == 1  # recoverable
        old.close()
    else:  # the workshop's full bundle, re-importable
        (backup,) = (db_path.parent / "backups").glob(f"{room['workshop'].code}-before-purge-*.zip")
        saved = json.loads(zipfile.ZipFile(backup).read("workshop.json"))
        assert [c["label"] for c in saved["contacts"]] == ["Effacé"]
    assert main(["purge", "--db", database, "--expired"]) == 0
    assert "nothing to purge" in capsys.readouterr().out


@pytest.mark.sqlite_only
def test_backup_and_restore_commands_round_trip(db, database, db_path, room, tmp_path, capsys):
    store.add_contact(db, room["alice"], submission_id="a", label="Avant", circle="family")
    out = tmp_path / "copie.db"
    assert main(["backup", "--db", database, "--out", str(out)]) == 0
    store.add_contact(db, room["alice"], submission_id="b", label="Après", circle="family")
    assert main(["restore", "--db", database, "--from", str(out)]) == 0
    assert "restored" in capsys.readouterr().out
    assert [c["label"] for c in store.contacts_of(db, room["alice"].id)] == ["Avant"]
    (safety,) = (db_path.parent / "backups").glob("*-before-restore-*.db")
    previous = dbmod.connect(safety)
    assert sorted(c["label"] for c in store.contacts_of(previous, room["alice"].id)) == ["Après", "Avant"]
    previous.close()


def test_export_and_import_commands(db, database, room, tmp_path, capsys):
    store.add_idea(db, room["alice"], submission_id="i1", text="Un jardin partagé")
    bundle = tmp_path / "atelier.zip"
    assert main(["export", "--db", database, "--code", room["workshop"].code, "--out", str(bundle)]) == 0
    assert "workshop.json" in zipfile.ZipFile(bundle).namelist()
    capsys.readouterr()
    assert main(["import", str(bundle), "--db", database]) == 0
    created = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    copy = store.workshop_by_code(db, created["code"])
    assert store.ideas_frame(db, copy.id)["text"].tolist() == ["Un jardin partagé"]
    assert main(["export", "--db", database, "--code", "NOPE00", "--out", str(bundle)]) == 2


def test_demo_sizes_are_bounded_and_a_conference_room_fills(database, capsys):
    """A room larger than the third parties' name pairs allow (8 contacts per participant) used to
    hang for ever; 0 participants crashed. Now: a clear refusal outside 1..2000, a full pool above."""
    import random

    from workshop import demo

    for size in ("0", "2001"):
        assert main(["demo", "--db", database, "--participants", size, "--no-themes"]) == 2
        assert "A demo room has 1 to 2000 participants." in capsys.readouterr().err
    pool = demo._people(random.Random(1), 10_000)
    assert len(pool) == len({(p.first, p.last) for p in pool}) == len(demo.FIRST_NAMES) * len(demo.LAST_NAMES)


@pytest.mark.slow
def test_a_conference_demo_names_people_as_people(tmp_path):
    """Past the short names ("Claire M."), a 1,000-person demo numbered them ("Claire 711")."""
    import re

    from workshop import demo

    conn = dbmod.open_db(tmp_path / "conference.db")
    made = demo.seed_demo(conn, participants=1000, seed=3, with_themes=False)
    names = store.participants_frame(conn, made.workshop.id)["display_name"].tolist()
    conn.close()
    assert len(set(names)) == 1000 and not [n for n in names if re.search(r"\d", n)]
    assert any(n.split()[-1] in demo.LAST_NAMES for n in names)  # whole names once the short ones run out
