"""Themes: seeded clustering of a fixed French/English set (exact results pinned), labels,
synonyms, manual edits that survive re-clustering, votes and collectifs."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workshop import store, themes
from workshop.errors import AccessDenied, InvalidInput, NotFound, RoundClosed

IDEAS = [
    "Partager nos compétences entre membres du réseau",
    "Une bourse d'échange de compétences",
    "Skill sharing between members",
    "Recruter par cooptation grâce au réseau",
    "Hiring through trusted referrals and cooptation",
    "La cooptation pour recruter des alternants",
    "Des vélos partagés pour les salariés",
    "Bike sharing for employees",
    "Un atelier de réparation de vélos",
    "Créer un club d'investissement local",
    "Investment club to fund local projects",
    "Financer des projets locaux par un club",
]


def test_clustering_is_exact_and_deterministic():
    assert themes.cluster_texts(IDEAS) == [0, 0, 0, 1, 1, 1, 2, 2, 3, 4, 4, 4]
    assert themes.cluster_texts(IDEAS, n_clusters=4) == [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3]
    assert themes.cluster_texts(list(IDEAS)) == themes.cluster_texts(IDEAS)


def test_french_and_english_meet_through_synonyms():
    labels = themes.cluster_texts(IDEAS, n_clusters=4)
    assert labels[2] == labels[0]  # "Skill sharing" with "Partager nos compétences"
    assert labels[7] == labels[6]  # "Bike sharing" with "vélos partagés"
    assert labels[10] == labels[9]  # "Investment club" with "club d'investissement"


def test_labels_contain_expected_lemmas():
    labels = themes.cluster_texts(IDEAS, n_clusters=4)
    assert themes.theme_labels(IDEAS, labels) == {
        0: "compétence · membre · partage",
        1: "cooptation · recrutement · alternants",
        2: "vélo · salarié · partage",
        3: "club · local · financement",
    }


def test_representatives_are_closest_to_centroid():
    labels = themes.cluster_texts(IDEAS, n_clusters=4)
    reps = themes.representatives(IDEAS, labels, k=2)
    assert reps == {0: [2, 0], 1: [4, 3], 2: [6, 7], 3: [10, 11]}


@pytest.mark.parametrize(
    "word,lemma",
    [("vélos", "vélo"), ("bikes", "vélo"), ("Compétences", "compétence"), ("skills", "compétence"),
     ("hiring", "recrutement"), ("recruter", "recrutement"), ("mentoring", "mentorat"), ("partagés", "partage")],
)  # fmt: skip
def test_synonym_table_and_lemmas(word, lemma):
    assert themes.lemma(word) == lemma


@pytest.mark.parametrize(
    "text,expected",
    [("L'entreprise et les réseaux", ["entreprise", "réseau"]), ("", []), ("🚲 2026 !!", []),
     ("Des vélos, des vélos", ["vélo", "vélo"])],
)  # fmt: skip
def test_tokens(text, expected):
    assert themes.tokens(text) == expected


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(max_size=60), max_size=40))
def test_clustering_never_crashes(texts):
    labels = themes.cluster_texts(texts)
    assert len(labels) == len(texts)
    assert set(labels) == set(range(len(set(labels))))
    names = themes.theme_labels(texts, labels)
    assert set(names) == set(labels)


@pytest.mark.parametrize("texts", [[], ["une seule"], ["même idée"] * 5, ["🚀🚀", "🎉"], ["a", "b", "c"]])
def test_clustering_edge_cases(texts):
    labels = themes.cluster_texts(texts)
    assert len(labels) == len(texts)


def test_thousand_ideas():
    texts = [f"{IDEAS[i % len(IDEAS)]} numéro {i % 7}" for i in range(1000)]
    labels = themes.cluster_texts(texts)
    assert len(labels) == 1000 and 2 <= len(set(labels)) <= 12


# ---------------------------------------------------------------- with the store


@pytest.fixture
def ideas_room(db, room):
    for i, text in enumerate(IDEAS):
        author = room["alice"] if i % 2 else room["bob"]
        store.add_idea(db, author, submission_id=f"idea-{i}", text=text)
    return room


def test_manual_edits_survive_new_ideas(db, ideas_room):
    wid = ideas_room["workshop"].id
    result = themes.cluster_workshop(db, wid, n_themes=4)
    assert result == {"created": 4, "placed": 12}
    frame = store.themes_frame(db, wid)
    bikes = int(frame[frame["label"].str.startswith("vélo")]["id"].iloc[0])
    store.rename_theme(db, wid, bikes, "Mobilité douce")
    ideas = store.ideas_frame(db, wid)
    workshop_idea = int(ideas[ideas["text"].str.startswith("Un atelier")]["id"].iloc[0])
    skills = int(frame[frame["label"].str.startswith("compétence")]["id"].iloc[0])
    store.move_idea(db, wid, workshop_idea, skills)  # the facilitator disagrees with the machine
    store.add_idea(db, ideas_room["alice"], submission_id="late-1", text="Prêter des vélos aux nouveaux salariés")
    store.add_idea(db, ideas_room["alice"], submission_id="late-2", text="Quelque chose sans rapport: météo")
    assert themes.cluster_workshop(db, wid) == {"created": 0, "placed": 1}
    after = store.ideas_frame(db, wid)
    labels = dict(zip(store.themes_frame(db, wid)["id"], store.themes_frame(db, wid)["label"], strict=True))
    assert labels[bikes] == "Mobilité douce"
    assert int(after[after["text"].str.startswith("Un atelier")]["theme_id"].iloc[0]) == skills
    assert int(after[after["text"].str.startswith("Prêter des vélos")]["theme_id"].iloc[0]) == bikes
    assert after[after["text"].str.startswith("Quelque chose")]["theme_id"].isna().all()  # "to sort"
    # A fresh clustering keeps renamed themes and manual placements too.
    themes.cluster_workshop(db, wid, fresh=True)
    final = store.ideas_frame(db, wid)
    assert int(final[final["text"].str.startswith("Un atelier")]["theme_id"].iloc[0]) == skills
    assert "Mobilité douce" in set(store.themes_frame(db, wid)["label"])


def test_merge_split_delete_theme(db, ideas_room):
    wid = ideas_room["workshop"].id
    themes.cluster_workshop(db, wid, n_themes=4)
    frame = store.themes_frame(db, wid)
    a, b = int(frame["id"].iloc[0]), int(frame["id"].iloc[1])
    store.merge_themes(db, wid, a, [b])
    merged = store.themes_frame(db, wid)
    assert len(merged) == 3 and int(merged[merged["id"] == a]["ideas"].iloc[0]) == 6
    new_id = themes.split_theme(db, wid, a)
    assert new_id is not None and len(store.themes_frame(db, wid)) == 4
    store.delete_theme(db, wid, new_id)
    assert store.ideas_frame(db, wid)["theme_id"].isna().sum() >= 1
    other, _ = store.create_workshop(db, title="Autre")
    with pytest.raises(NotFound):
        store.rename_theme(db, other.id, a, "pirate")


def test_votes_budget_round_and_ownership(db, ideas_room):
    wid = ideas_room["workshop"].id
    themes.cluster_workshop(db, wid, n_themes=4)
    t1, t2 = (int(x) for x in store.themes_frame(db, wid)["id"].head(2))
    with pytest.raises(RoundClosed):
        store.cast_votes(db, ideas_room["alice"], {t1: 1})
    store.set_round(db, wid, "vote", is_open=True)
    store.cast_votes(db, ideas_room["alice"], {t1: 3, t2: 2})
    store.cast_votes(db, ideas_room["alice"], {t1: 3, t2: 2})  # replaces, never doubles
    assert store.votes_of(db, ideas_room["alice"].id) == {t1: 3, t2: 2}
    with pytest.raises(InvalidInput):
        store.cast_votes(db, ideas_room["bob"], {t1: 6})
    with pytest.raises(InvalidInput):
        store.cast_votes(db, ideas_room["bob"], {t1: -1})
    other, _ = store.create_workshop(db, title="Autre")
    foreign = store.create_theme(db, other.id, "Ailleurs")
    with pytest.raises(NotFound):
        store.cast_votes(db, ideas_room["bob"], {foreign: 1})
    ranking = store.themes_frame(db, wid).set_index("id")["votes"]
    assert ranking[t1] == 3 and ranking[t2] == 2


def test_collectifs_membership_steps_and_mobilised_contacts(db, ideas_room):
    wid = ideas_room["workshop"].id
    alice, bob = ideas_room["alice"], ideas_room["bob"]
    mine = store.add_contact(db, alice, submission_id="c-a", label="A. B.", circle="partners", region="Bretagne")
    theirs = store.add_contact(db, bob, submission_id="c-b", label="C. D.", circle="partners")
    cid = store.create_collectif(db, wid, name="Bourse de compétences")
    with pytest.raises(RoundClosed):
        store.set_membership(db, alice, cid, member=True)
    store.set_round(db, wid, "collectifs", is_open=True)
    with pytest.raises(AccessDenied):
        store.set_mobilised_contacts(db, alice, cid, [mine])  # not a member yet
    store.set_membership(db, alice, cid, member=True)
    store.set_membership(db, alice, cid, member=True)  # idempotent
    store.set_mobilised_contacts(db, alice, cid, [mine])
    with pytest.raises(AccessDenied):
        store.set_mobilised_contacts(db, alice, cid, [theirs])  # someone else's contact
    s1 = store.add_next_step(db, alice, cid, submission_id="st-1", text="Réunion lundi", due_date="2026-12-01", owner="Alice")
    assert store.add_next_step(db, alice, cid, submission_id="st-1", text="Réunion lundi") == s1
    (group,) = store.collectifs(db, wid)
    assert [m["display_name"] for m in group["members"]] == ["Alice"]
    assert [c["id"] for c in group["contacts"]] == [mine]
    assert [(s["text"], s["due_date"], s["owner"]) for s in group["next_steps"]] == [("Réunion lundi", "2026-12-01", "Alice")]
    store.set_membership(db, alice, cid, member=False)
    (group,) = store.collectifs(db, wid)
    assert group["members"] == [] and group["contacts"] == []
