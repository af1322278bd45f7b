"""The regions map: one outline per region of the app's vocabulary, participants counted once
per region, colours that grow with the count, text escaped, nothing fetched from outside."""

from __future__ import annotations

import base64
import re

import pandas as pd

from workshop import regions_map
from workshop.model import REGIONS


def test_every_region_a_contact_can_have_is_on_the_map_except_abroad():
    assert set(regions_map.outline()["regions"]) == set(REGIONS) - {"Étranger"}
    assert all(re.fullmatch(r"(M[-\d LZ]+Z)+", d) for d in regions_map.outline()["regions"].values())


def test_a_region_counts_participants_not_contacts():
    contacts = pd.DataFrame(
        {"participant_id": [1, 1, 1, 2, 3, 3], "region": ["Bretagne", "Bretagne", "Corse", "Bretagne", "", "Occitanie"]}
    )
    assert regions_map.participants_reaching(contacts) == {"Bretagne": 2, "Corse": 1, "Occitanie": 1}
    assert regions_map.participants_reaching(contacts.iloc[0:0]) == {}


def test_colours_grow_with_the_count_and_nobody_is_grey():
    fills = [regions_map.colour(n, 10) for n in (0, 1, 2, 4, 6, 8, 10)]
    assert fills[0] == regions_map.NOBODY
    assert fills[1:] == ["#c6dbef", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"]


def test_the_map_is_one_self_contained_image_with_a_french_or_english_description():
    img = regions_map.map_img({"Bretagne": 3, "Corse": 1}, lang="fr", height=400)
    assert 'alt="Carte des régions de France : 2 régions où la salle connaît quelqu&#x27;un"' in img
    svg = base64.b64decode(re.search(r"base64,([^\"]+)", img).group(1)).decode()
    assert svg.count("<path") == len(regions_map.outline()["regions"])
    assert "<title>Bretagne : 3 participants y connaissent quelqu&#x27;un</title>" in svg
    assert "<title>Corse : 1 participant y connaît quelqu&#x27;un</title>" in svg
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")  # no outside host
    english = regions_map.map_img({}, lang="en")
    assert 'alt="Map of France&#x27;s regions: 0 regions where the room knows someone"' in english
