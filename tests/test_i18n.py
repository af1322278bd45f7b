"""Both catalogues complete, and every key the code uses exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from workshop.i18n import CATALOGUES, FR, NAMES, count, field, language_name, number, quote, t
from workshop.model import CIRCLES, FLOWS, LANGUAGES, ROUNDS

ROOT = Path(__file__).resolve().parent.parent


OTHERS = [code for code in LANGUAGES if code != "fr"]


def test_the_languages_are_the_catalogue_modules_french_first():
    assert LANGUAGES[0] == "fr" and set(LANGUAGES) == {"fr", "en"} == set(CATALOGUES)
    assert language_name("fr") == "Français" and language_name("en") == "English"
    assert all(NAMES.values())


@pytest.mark.parametrize("lang", OTHERS)
def test_catalogues_have_the_same_keys(lang):
    other = CATALOGUES[lang]
    assert set(FR) == set(other), {f"missing in {lang}": set(FR) - set(other), "missing in fr": set(other) - set(FR)}


@pytest.mark.parametrize("lang", OTHERS)
def test_same_placeholders_in_every_language(lang):
    for key in FR:
        assert set(re.findall(r"{(\w+)}", FR[key])) == set(re.findall(r"{(\w+)}", CATALOGUES[lang][key])), key


@pytest.mark.parametrize("prefix,values", [("circle", CIRCLES), ("flow", FLOWS), ("round", ROUNDS)])
def test_vocabularies_are_translated(prefix, values):
    for value in values:
        assert all(f"{prefix}.{value}" in catalogue for catalogue in CATALOGUES.values())


def test_every_literal_key_used_in_code_exists():
    pattern = re.compile(r"""\bt\(\s*["']([a-z]+\.[a-z_.]+)["']""")
    errors_pattern = re.compile(
        r"""(?:InvalidInput|NotFound|AccessDenied|RoundClosed|StorageError|ImportRefused)\(\s*["']([a-z_]+\.[a-z_.]+)["']"""
    )
    used = set()
    for path in list((ROOT / "workshop").rglob("*.py")) + list((ROOT / "pages").glob("*.py")):  # packages too
        text = path.read_text(encoding="utf-8")
        used |= set(pattern.findall(text)) | set(errors_pattern.findall(text))
    missing = sorted(k for k in used if k not in FR)
    assert not missing, missing


def test_translation_fills_parameters_and_translates_field_names():
    assert t("err.empty", "fr", field="field.name") == "« Votre prénom ou pseudonyme » est vide : écrivez quelque chose."
    assert t("err.empty", "en", field="field.name").startswith("“Your first name")
    assert t("no.such.key", "en") == "no.such.key"


def test_counts_are_singular_for_one_in_every_language():
    from workshop.i18n import count

    assert count(1, "th.one_idea", "th.n_ideas", "fr") == "1 idée"
    assert count(3, "th.one_idea", "th.n_ideas", "fr") == "3 idées"
    assert count(0, "th.one_dot", "th.n_dots", "fr") == "0 gommettes"
    assert count(1, "th.one_dot", "th.n_dots", "en") == "1 dot"
    assert count(2, "map.region_one", "map.region_count", "en", region="Bretagne").startswith("Bretagne")


def test_quotes_and_colons_follow_the_language():
    assert quote("Un vélo", "fr") == "«\u00a0Un vélo\u00a0»" and quote("A bike", "en") == "“A bike”"
    assert quote("rep.date", "en") == "“rep.date”"  # someone's words are never looked up in the catalogue
    assert quote("{n} {x}", "fr") == "«\u00a0{n} {x}\u00a0»"  # nor formatted
    assert field("Date", "2026-12-02", "fr") == "Date\u00a0: 2026-12-02" and field("Date", 3, "en") == "Date: 3"


def test_counts_group_their_digits_as_each_language_does():
    """A conference wall read "13510 contacts"."""
    assert number(13510, "fr") == "13\u00a0510" and number(13510, "en") == "13,510" and number(999, "fr") == "999"
    assert count(1000, "th.one_idea", "th.n_ideas", "fr") == "1\u00a0000 idées"
    assert count(1, "th.one_idea", "th.n_ideas", "en") == "1 idea"
