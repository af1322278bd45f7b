"""A new language is one catalogue module: a copy of the package with a German catalogue added
(and nothing else changed) creates, joins, reads and exports a German workshop."""

from __future__ import annotations

import textwrap

import pytest

from tests.appcopy import copy_app, run_in_copy

# A copy of the app run in a subprocess (~4 s): in the full suite, not the inner loop.
pytestmark = pytest.mark.slow

CHECK = textwrap.dedent(
    """
    import sys
    from workshop import export, i18n, joinpage, lexicon, store, validation
    from workshop import db as dbmod
    from workshop.model import LANGUAGES

    assert LANGUAGES == ("fr", "de", "en"), LANGUAGES
    db = dbmod.open_db(sys.argv[1])
    workshop, _ = store.create_workshop(db, title="Werkstatt", language="de")
    assert store.get_workshop(db, workshop.id).language == "de"
    store.update_workshop(db, workshop.id, language="en")
    store.update_workshop(db, workshop.id, language="de")
    try:
        store.update_workshop(db, workshop.id, language="xx")
    except Exception as exc:
        print("refused:", exc.message("de"))
    page = joinpage.render(store.get_workshop(db, workshop.id), lang="de", token="t" * 32)
    assert '<html lang="de">' in page and ">Deutsch<" in page and "[de] " in page
    print("ui:", i18n.t("lang.label", "de"), "|", i18n.format_date("2026-12-08", "de"))
    print("detected:", lexicon.detect_language("Wir bauen gemeinsam eine Fahrradwerkstatt für die Kinder im Dorf"))
    print("lemma:", lexicon.lemma("kinder", "de"))
    words = i18n.boot_words()["de"]  # the boot script's offline banner and control names
    assert words["offline"][0].startswith("[de] ") and words["names"]["Increment"].startswith("[de] "), words
    doc = export.validate_payload(export.payload(db, workshop.id))
    print("export:", doc["workshop"]["language"])
    """
)


def _german_catalogue() -> str:
    from workshop.i18n import FR

    body = "".join(f"    {key!r}: {('[de] ' + text)!r},\n" for key, text in FR.items())
    months = ("Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez.")
    return f'NAME = "Deutsch"\nMONTHS = {months!r}\n\nCATALOGUE = {{\n{body}}}\n'


def test_a_catalogue_module_is_all_a_new_language_needs(tmp_path):
    copy = copy_app(tmp_path / "app", parts=("workshop", "data"), with_app=False)
    (copy / "workshop" / "i18n" / "de.py").write_text(_german_catalogue(), encoding="utf-8")
    lines = run_in_copy(copy, CHECK, str(tmp_path / "de.db"), timeout=120)
    assert lines["refused"].startswith("[de] ")  # refusals speak the new language
    assert lines["ui"].startswith("[de] ") and lines["ui"].endswith("8\u00a0Dez.\u00a02026")
    assert lines["detected"] == "de"  # ideas are read in it (simplemma knows German)
    assert lines["lemma"] == "kinder"  # without inflection rules in lexicon.py, words stay as written
    assert lines["export"] == "de"  # and a bundle in it imports back
