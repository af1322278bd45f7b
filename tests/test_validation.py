"""Validators: what is cleaned, what is refused (with a WorkshopError, never a crash)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workshop import validation
from workshop.errors import InvalidInput, WorkshopError


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("  Marie   Dupont ", "Marie Dupont"),
        ("M.\tD.", "M. D."),
        ("Zoé\u00a0Œuvrard", "Zoé Œuvrard"),
        ("e\u0301lodie", "élodie"),  # NFC
        ("a\x00b\x07c", "abc"),
        ("line\nbreak", "line break"),
    ],
)
def test_clean_label(raw, expected):
    assert validation.clean_label(raw) == expected


@pytest.mark.parametrize("raw", ["", "   ", "\x00", "\u200b\u200b", None])
def test_clean_label_refuses_empty(raw):
    with pytest.raises(InvalidInput) as err:
        validation.clean_label(raw)
    assert err.value.key == "err.empty"


def test_ten_thousand_characters_refused_with_the_limit():
    with pytest.raises(InvalidInput) as err:
        validation.clean_idea("a" * 10_000)
    assert err.value.params["max"] == 280 and "280" in err.value.message("en")


def test_idea_keeps_line_breaks():
    assert validation.clean_idea("  un\n\n  deux  ") == "un\ndeux"


@pytest.mark.parametrize("raw,expected", [("abc 234", "ABC234"), ("ab-c2-34", "ABC234"), (" xyz ", "XYZ")])
def test_clean_code(raw, expected):
    assert validation.clean_code(raw) == expected


@pytest.mark.parametrize("raw", ["", "!!!", "A" * 13, 42])
def test_clean_code_refuses(raw):
    with pytest.raises(InvalidInput):
        validation.clean_code(raw)


def test_flows_keep_canonical_order_and_refuse_unknown():
    assert validation.clean_flows(["emotion", "goods"]) == ["goods", "emotion"]
    with pytest.raises(InvalidInput):
        validation.clean_flows(["gossip"])


def test_skills_dedup_and_split():
    assert validation.clean_skills("Comptabilité, comptabilité , RSE,,") == ["Comptabilité", "RSE"]
    with pytest.raises(InvalidInput):
        validation.clean_skills([f"s{i}" for i in range(20)])


@pytest.mark.parametrize("value", [0, 4, "2", True, None, 2.5])
def test_scale_refuses(value):
    with pytest.raises(InvalidInput):
        validation.clean_scale(value, field="field.strength")


@settings(max_examples=3000, deadline=None)
@given(st.text(max_size=400))
def test_clean_text_never_crashes_and_is_idempotent(text):
    try:
        once = validation.clean_text(text, field="field.idea", max_len=280, multiline=True)
    except WorkshopError as exc:
        assert exc.key in ("err.empty", "err.too_long")
        return
    assert validation.clean_text(once, field="field.idea", max_len=280, multiline=True) == once
    assert all(ord(c) >= 32 or c == "\n" for c in once)


@settings(max_examples=1500, deadline=None)
@given(st.one_of(st.text(max_size=30), st.integers(), st.none(), st.lists(st.text(max_size=5))))
def test_other_validators_raise_only_workshop_errors(value):
    for fn in (validation.clean_code, validation.clean_circle, validation.clean_year, validation.clean_skills):
        try:
            fn(value)
        except WorkshopError:
            pass


def test_emoji_sequences_and_joiners_are_kept_bidi_overrides_dropped():
    from workshop.validation import clean_text

    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert clean_text(f"Famille {family} !", field="f", max_len=50) == f"Famille {family} !"
    assert clean_text("\u200dseul", field="f", max_len=50) == "seul"  # a joiner joining nothing goes
    assert clean_text("abc\u202edef", field="f", max_len=50) == "abcdef"  # right-to-left override
    assert clean_text("می\u200cخواهم", field="f", max_len=50) == "می\u200cخواهم"


def test_view_settings_keep_a_measure_shaped_size_and_drop_anything_else():
    """A size is a measure's name (network.SIZE_MODES grows with network.SIZE_MEASURES, not
    with validation): one that is gone is kept and drawn by degree; text that is no name is dropped."""
    from workshop import network

    keep = validation.clean_view_settings
    assert keep({"size_by": "effective_size"}) == {"size_by": "effective_size"}
    assert keep({"size_by": "closeness"}) == {"size_by": "closeness"}
    for bad in ("<script>", "Degree", "x" * 41, "", 3, None, ["degree"]):
        assert "size_by" not in keep({"size_by": bad}), bad
    assert "closeness" not in network.SIZE_MODES  # kept as a setting, never offered (tests/test_charts.py: drawn by degree)


def test_a_letter_and_its_accent_brought_together_by_a_dropped_control_are_composed():
    """Found by the property test above: "U", a control character, a combining grave accent."""
    once = validation.clean_text("U\x1f\u0300 ok", field="field.idea", max_len=280, multiline=True)
    assert once == "\u00d9 ok" and validation.clean_text(once, field="field.idea", max_len=280, multiline=True) == once
