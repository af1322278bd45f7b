"""The wall's plain-data helpers: rotating pages, growth over a round, latest arrivals without
third parties' names, label placement without overlaps, and the large-room summary graph."""

from __future__ import annotations

import datetime as dt

import igraph as ig
import pandas as pd
import pytest

from workshop import charts, i18n, labels, network, rooms
from workshop import wall as walls
from workshop.model import Workshop


def test_pages_rotate_through_everything_and_every_wall_shows_the_same_page():
    items = list(range(20))
    pages = [walls.page_of(items, per_page=9, slot=slot) for slot in range(3)]
    assert [p.items for p in pages] == [list(range(9)), list(range(9, 18)), [18, 19]]
    assert {p.count for p in pages} == {3} and [p.index for p in pages] == [0, 1, 2]
    assert walls.page_of(items, per_page=9, slot=3).items == list(range(9))  # back to the first
    assert walls.page_of([], per_page=9, slot=7) == walls.Page([], 0, 1)
    assert walls.rotation_slot(1000.0, seconds=12) == walls.rotation_slot(1007.9, seconds=12) == 83


def test_growth_counts_what_arrived_up_to_each_moment_of_the_round():
    start = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)
    times = pd.Series(["2026-12-02T08:59:00+00:00", "2026-12-02T09:01:00+00:00", "2026-12-02T09:09:30+00:00", "bad"])
    points = walls.growth(times, start=start, now=start + dt.timedelta(minutes=10), buckets=5)
    assert points == [(0.0, 1), (2.0, 2), (4.0, 2), (6.0, 2), (8.0, 2), (10.0, 3)]


def test_latest_arrivals_never_carry_a_contacts_label():
    contacts = pd.DataFrame(
        {
            "id": [1, 2, 3],
            "label": ["Jeanne Secret", "Paul Caché", "X"],
            "owner": ["Ana", "Bob", "Ana"],
            "circle": ["clients", "family", "association"],
            "region": ["Occitanie", "", "Bretagne"],
            "created_at": ["2026-12-02T09:00:00", "2026-12-02T09:05:00", "2026-12-02T09:05:00"],
        }
    )
    named = walls.latest_arrivals(contacts, anonymous=False, limit=2)
    assert [(a.who, a.family, a.region) for a in named] == [("Ana", "commitment", "Bretagne"), ("Bob", "close", "")]
    anonymous = walls.latest_arrivals(contacts, anonymous=True)
    assert [a.who for a in anonymous] == ["", "", ""]
    text = repr(named + anonymous)
    assert "Secret" not in text and "Caché" not in text


def test_labels_are_placed_most_important_first_without_overlap_and_inside_the_frame():
    c = labels.Candidate
    candidates = [
        c(100, 100, "Alice", 1.0),
        c(110, 104, "Bernard", 2.0),  # on top of Alice, more important: Alice gives way
        c(400, 100, "Chloé", 0.5),
        c(5, 100, "Dominique", 3.0),  # would stick out on the left
        c(300, 5, "Éva", 3.0),  # would stick out at the top
        c(400, 300, "", 9.0),  # nothing to write
    ]
    chosen = labels.place(candidates, font_px=20, width=500, height=400)
    assert chosen == [1, 2]
    boxes = [labels.box(candidates[i], font_px=20) for i in chosen]
    assert boxes[0][2] <= boxes[1][0] or boxes[1][2] <= boxes[0][0]


def test_a_large_room_on_the_wall_keeps_participants_and_shared_contacts_and_counts_the_rest():
    g = ig.Graph(n=6, edges=[(0, 2), (1, 2), (0, 3), (0, 4), (1, 5)])
    g.vs["key"] = ["p1", "p2", "c1", "c2", "c3", "c4"]
    g.vs["kind"] = ["participant", "participant", "contact", "contact", "contact", "contact"]
    g.vs["known_by"] = [[], [], [1, 2], [1], [1], [2]]
    small = network.summarise_for_wall(g)
    assert small.vs["key"] == ["p1", "p2", "c1"]
    assert small.vs["own"] == [2, 1, 0]
    assert sorted(tuple(sorted(small.vs[i]["key"] for i in e.tuple)) for e in small.es) == [("c1", "p1"), ("c1", "p2")]
    assert g.vcount() == 6 and "own" not in g.vs.attributes()  # the room's graph is not changed


def _room_analysis(tmp_path, *, participants: int = 12):
    from workshop import db as dbmod
    from workshop import demo

    conn = dbmod.open_db(tmp_path / "story.db")
    result = demo.seed_demo(conn, participants=participants, seed=11)
    wid = result.workshop.id
    room = rooms.load(conn, wid)
    analysis = network.analyse(room)
    cards = [dict(card, help="") for card in rooms.theme_cards(conn, wid)]
    labels_ = set(room.contacts["label"]) - set(room.participants["display_name"])
    names = set(room.participants["display_name"])
    conn.close()
    return analysis, room, cards, labels_, names


def test_the_story_tells_each_finding_once_in_order_and_keeps_third_parties_out(tmp_path):
    analysis, room, cards, contact_labels, names = _room_analysis(tmp_path)
    slides = walls.told(
        walls.story(analysis, room, cards, anonymous=False, show_labels=False), lambda words: i18n.say(words, "fr")
    )
    assert [s.kind for s in slides] == ["bridge", "sleeping", "reach", "skill", "theme"]
    bridge = slides[0]
    top = analysis.bridge_contacts[0]
    assert bridge.headline == f"{top['count']} participants connaissent la même personne"
    assert sum(bridge.picture.values()) == len(analysis.bridge_contacts)
    assert slides[1].headline == f"{sum(analysis.sleeping_capital.values())} liens dormants à réveiller"
    assert all(s.picture and all(v >= 0 for v in s.picture.values()) for s in slides)
    text = " ".join(f"{s.title} {s.headline} {s.detail} {' '.join(s.picture)}" for s in slides)
    assert not [label for label in contact_labels if len(label) > 6 and label in text]
    assert any(name in text for name in names)  # participants are named, unless anonymous
    # The skill slide counts contacts who offer it, each once (not seeker × contact pairs).
    sought = [s for skills in room.participants["skills_sought"] for s in skills]
    skill = max(sorted(set(sought)), key=sought.count)
    offering = sum(1 for skills in room.contacts["skills"] if skill.casefold() in {x.casefold() for x in skills})
    assert offering and slides[3].detail.endswith(f"{offering} contacts la proposent"), (offering, slides[3].detail)

    hidden = walls.told(
        walls.story(analysis, room, cards, anonymous=True, show_labels=False), lambda words: i18n.say(words, "en")
    )
    text = " ".join(f"{s.headline} {s.detail}" for s in hidden)
    assert not [name for name in names if len(name) > 3 and name in text]
    assert hidden[0].headline == f"{top['count']} participants know the same person"

    shown = walls.told(walls.story(analysis, room, cards, anonymous=False, show_labels=True), lambda words: i18n.say(words, "fr"))
    assert shown[0].headline.endswith(f" — {top['label']}")  # the facilitator opted in


def test_a_room_with_nothing_yet_has_no_story(tmp_path):
    from workshop import db as dbmod
    from workshop import store

    conn = dbmod.open_db(tmp_path / "empty.db")
    workshop, _ = store.create_workshop(conn, title="Salle vide")
    room = rooms.load(conn, workshop.id)
    conn.close()
    assert (
        walls.told(
            walls.story(network.analyse(room), room, [], anonymous=False, show_labels=False), lambda words: i18n.say(words, "fr")
        )
        == []
    )


def test_what_arrived_in_the_last_minutes_is_ringed_on_the_wall_and_only_that(tmp_path):
    from workshop import charts, demo
    from workshop import db as dbmod

    conn = dbmod.open_db(tmp_path / "fresh.db")
    result = demo.seed_demo(conn, participants=6, seed=4, with_themes=False)
    g = network.build_graph(rooms.load(conn, result.workshop.id))
    conn.close()
    assert all(g.vs["first_seen"])
    late = g.vs.find(kind="contact").index
    g.vs[late]["first_seen"] = "2999-01-01T00:00:00+00:00"
    positions, table = network.layout(g), network.metrics(g)

    def ringed(fig) -> list[str]:
        keys = {v["key"]: v.index for v in g.vs}
        out = []
        for trace in fig.data:
            # The node traces (on the wall their labels are a last trace of invisible markers).
            if "markers" not in (trace.mode or "") or trace.marker.opacity == 0:
                continue
            colours = trace.marker.line.color
            if isinstance(colours, str):  # one colour for every point
                colours = [colours] * len(trace.x)
            for x, y, colour in zip(trace.x, trace.y, colours, strict=True):
                if colour == charts.NEW_OUTLINE:
                    out += [
                        k for k, i in keys.items() if positions[k] == (x, y) or tuple(round(c, 4) for c in positions[k]) == (x, y)
                    ]
        return out

    fig = charts.network_figure(g, positions, table, wall=(1804, 676), fresh_since="2998-01-01T00:00:00+00:00")
    assert ringed(fig) == [g.vs[late]["key"]]
    assert "cerclé de vert" in fig.layout.annotations[0].text
    quiet = charts.network_figure(g, positions, table, wall=(1804, 676), fresh_since="3000-01-01T00:00:00+00:00")
    assert ringed(quiet) == [] and not any("cerclé de vert" in a.text for a in quiet.layout.annotations)


def test_communities_are_outlined_on_the_wall_only_where_they_form_a_region():
    from matplotlib.path import Path as Polygon

    from workshop import charts

    plot = (1804, 676)
    left = [(0.10 + 0.02 * i, 0.20 + 0.03 * (i % 2)) for i in range(5)]
    right = [(0.80 + 0.015 * i, 0.70 + 0.02 * (i % 3)) for i in range(6)]
    spread = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.5, 0.5)]  # all over the picture
    small = [(0.5, 0.9), (0.52, 0.91), (0.51, 0.93)]  # 3 people: not a region
    line = [(0.3, 0.5), (0.31, 0.5), (0.32, 0.5), (0.33, 0.5)]  # no area
    hulls = charts.community_hulls([left, spread, small, line, right], plot_px=plot)
    assert len(hulls) == 2  # the largest first: right (6), then left (5)
    for hull, points in zip(hulls, (right, left), strict=True):
        outline = Polygon(hull)
        assert all(outline.contains_point(p) for p in points)  # pushed out around its members
        assert all(charts.X_RANGE[0] <= x <= charts.X_RANGE[1] and charts.Y_RANGE[0] <= y <= charts.Y_RANGE[1] for x, y in hull)
    many = [[(0.05 + 0.15 * k + 0.01 * i, 0.1 + 0.02 * (i % 2)) for i in range(4)] for k in range(8)]
    assert len(charts.community_hulls(many, plot_px=plot)) == charts.MAX_HULLS


def test_the_walls_caption_wraps_and_the_plot_makes_room_for_it(tmp_path):
    from workshop import charts

    parts = ["a" * 70, "b" * 40, "c" * 60]
    lines = charts._caption_lines(parts)
    assert lines == ["a" * 70 + " · " + "b" * 40, "c" * 60]
    assert all(len(line) <= charts.WALL_CAPTION_CHARS for line in lines)

    # A seeded room on the wall, summarised as for 200 people, something new: three parts, two
    # lines; the plot gives up one line's height and the areas drawn are the communities'.
    from workshop import db as dbmod
    from workshop import demo

    conn = dbmod.open_db(tmp_path / "caption.db")
    result = demo.seed_demo(conn, participants=6, seed=4, with_themes=False)
    full = network.build_graph(rooms.load(conn, result.workshop.id))
    conn.close()
    g = network.summarise_for_wall(full)
    g.vs[0]["first_seen"] = "2999-01-01T00:00:00+00:00"
    positions, table = network.layout(g), network.metrics(g)
    fig = charts.network_figure(g, positions, table, wall=(1804, 676), fresh_since="2998-01-01T00:00:00+00:00")
    shapes = [shape for shape in fig.layout.shapes if shape.fillcolor == charts.HULL_FILL]
    assert len(shapes) == 5  # seeded room (its ties among contacts since 2026-12-05), seeded layout
    caption = fig.layout.annotations[0].text
    assert caption.count("<br>") == 1 and "cerclé de vert" in caption and "communautés" in caption
    assert fig.layout.margin.b == charts.WALL_MARGIN["b"] + charts.WALL_CAPTION_LINE_PX
    console = charts.network_figure(g, positions, table)  # the console keeps its own picture
    assert not console.layout.shapes


def _said(cards: list[dict]) -> list[dict]:
    return [dict(c, help={a: i18n.say(words, "fr") for a, words in c["help"].items()}) for c in cards]


def test_theme_cards_say_who_can_help_by_name_or_by_count(tmp_path):
    _, room, cards, _, names = _room_analysis(tmp_path)
    helped = _said(walls.cards_with_help(cards, room, circle_words=i18n.circle_words()))
    assert [c["id"] for c in helped] == [c["id"] for c in cards] and all(c["help"] == "" for c in cards)
    named = [c["help"][False] for c in helped if c["help"][False]]
    counted = [c["help"][True] for c in helped if c["help"][True]]
    assert named and len(named) == len(counted)
    assert all(text.startswith("Qui peut aider — ") for text in named + counted)
    assert any(name in " ".join(named) for name in names)
    assert not [name for name in names if len(name) > 3 and name in " ".join(counted)]


def test_each_theme_says_what_it_needs_not_what_every_theme_mentions(tmp_path):
    """In a room of 60 the themes' "who can help" lines differ: each leads with what most of its
    own ideas ask for (on the 200-person wall every theme had read "santé : …", the need that
    reached most contacts)."""
    _, room, cards, _, _ = _room_analysis(tmp_path, participants=60)
    helped = [c for c in _said(walls.cards_with_help(cards, room, circle_words=i18n.circle_words())) if c["help"][True]]
    firsts = [network.who_can_help(c["asked"], room.contacts, texts=c["texts"])[0]["what"] for c in helped]
    assert len(helped) >= 4 and len(set(firsts)) >= len(helped) // 2, firsts


def test_the_demo_room_has_been_at_work_for_a_while(tmp_path):
    """The demo's wall looks like a room's, not one instant's: people joined over the first
    minutes, each contact and idea came after its author joined (ideas after their round
    opened), most are older than the wall's 2 minutes of "new", a few are that fresh; the room
    lives in one region mostly (the map had every region in the same dark blue)."""
    from workshop import config, demo, store
    from workshop import db as dbmod

    conn = dbmod.open_db(tmp_path / "timeline.db")
    made = demo.seed_demo(conn, participants=40, seed=8, with_themes=False)
    wid = made.workshop.id
    room = rooms.load(conn, wid)
    ideas = store.ideas_frame(conn, wid)
    opened = store.rounds(conn, wid)
    conn.close()
    now = dt.datetime.now(dt.UTC)
    at = dt.datetime.fromisoformat
    joined = {pid: at(t) for pid, t in zip(room.participants["id"], room.participants["joined_at"], strict=True)}
    assert dt.timedelta(minutes=5) <= max(joined.values()) - min(joined.values()) <= demo.JOIN_SPREAD + dt.timedelta(minutes=1)
    assert at(opened["contacts"].opened_at) <= min(joined.values())
    contact_times = [at(t) for t in room.contacts["created_at"]]
    assert all(joined[pid] <= t <= now for pid, t in zip(room.contacts["participant_id"], contact_times, strict=True))
    assert all(at(opened["ideas"].opened_at) <= at(t) <= now for t in ideas["created_at"])
    recent = sum(now - t < dt.timedelta(seconds=config.NEW_WINDOW_SECONDS) for t in contact_times)
    assert 0 < recent < len(contact_times) / 4
    # Most of what the room knows is in its own region, and it reaches every other one too.
    by_region = room.contacts[room.contacts["region"] != ""]["region"].value_counts()
    assert by_region.iloc[0] > 3 * by_region.iloc[1] and len(by_region) == len(demo.CITIES)


def test_the_demo_theme_renamed_by_hand_is_the_one_about_its_name(tmp_path):
    """The wall showed "Partage de compétences" over ideas about cooptation: the demo renamed
    the largest theme whatever it held."""
    from workshop import db as dbmod
    from workshop import demo, store

    conn = dbmod.open_db(tmp_path / "renamed.db")
    wid = demo.seed_demo(conn, participants=60, seed=3).workshop.id
    ideas = store.ideas_frame(conn, wid)
    renamed = store.themes_frame(conn, wid).query("renamed == 1")
    conn.close()
    assert renamed["label"].tolist() == ["Partage de compétences"]
    skills = ideas[ideas["text"].str.startswith(tuple(demo.IDEA_SUBJECTS["compétences"]))]
    per_theme = skills["theme_id"].value_counts()
    assert per_theme.index[0] == renamed["id"].iloc[0]
    assert len(per_theme) == 1 or per_theme.iloc[0] > per_theme.iloc[1]


def test_two_demo_rooms_with_the_same_seed_are_the_same_room(tmp_path):
    """A facilitator may seed a demo twice in one database: each room is whole (submission ids
    are unique across the database, so they name the room)."""
    from workshop import db as dbmod
    from workshop import demo

    conn = dbmod.open_db(tmp_path / "two.db")
    first = demo.seed_demo(conn, participants=6, seed=4, with_themes=False)
    second = demo.seed_demo(conn, participants=6, seed=4, with_themes=False)
    a, b = rooms.load(conn, first.workshop.id), rooms.load(conn, second.workshop.id)
    conn.close()
    assert len(a.contacts) == len(b.contacts) > 0
    assert list(a.contacts["label"]) == list(b.contacts["label"])


@pytest.mark.slow  # a 1,000-person room laid out
def test_a_conference_wall_draws_its_communities_as_bubbles_readable_from_the_back(tmp_path):
    """300 people who said who knows whom: at most 7 community bubbles and one 'others', links
    weighted by the edges between them, brokers named (or counted when anonymous), every label
    at 28 px and no two labels overlapping on the 1920×1080 canvas."""
    analysis, room, *_ = _room_analysis(tmp_path, participants=300)
    cmap = network.community_map(analysis.graph, analysis.metrics)
    assert 2 <= len(cmap.bubbles) <= network.MAP_BUBBLES + 1
    assert sum(b["participants"] for b in cmap.bubbles) == len(room.participants)
    assert [b["other"] for b in cmap.bubbles].count(True) <= 1
    assert cmap.links and all(a < b and n > 0 for a, b, n in cmap.links)
    assert [n for *_, n in cmap.links] == sorted((n for *_, n in cmap.links), reverse=True)
    crossing = sum(n for *_, n in cmap.links)
    community = analysis.metrics["community"].tolist()
    assert crossing <= sum(1 for a, b in analysis.graph.get_edgelist() if community[a] != community[b])
    assert cmap.brokers and all(len(b["bubbles"]) >= 2 for b in cmap.brokers)
    plot = charts.wall_plot_px(1824, 760)
    fig = charts.community_figure(cmap, lang="fr", wall=plot)
    labels = [a for a in fig.layout.annotations]
    assert all(a.font.size >= 24 for a in labels)
    # The labels' plot: the figure's height less its margins (the caption's lines come out of it).
    plot = (plot[0], fig.layout.height - fig.layout.margin.t - fig.layout.margin.b)
    boxes = charts.map_label_boxes(cmap, plot_px=plot, lang="fr")
    for i, a in enumerate(boxes):
        assert 0 <= a[0] and a[2] <= plot[0] and 0 <= a[1] and a[3] <= plot[1], (i, a)
        for b in boxes[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
    caption = labels[-1].text
    assert "Passerelles : " + cmap.brokers[0]["name"] in caption
    anonymous = charts.community_figure(cmap, lang="fr", wall=plot, anonymous=True).layout.annotations[-1].text
    assert cmap.brokers[0]["name"] not in anonymous and f"{len(cmap.brokers)} participants" in anonymous


def test_the_bridges_view_names_its_brokers_by_the_groups_they_link(tmp_path):
    from workshop import ui

    analysis, *_ = _room_analysis(tmp_path, participants=12)
    census = [b for b in analysis.brokers if b["census"]]
    assert census, analysis.brokers
    notes = ui.broker_notes(analysis.brokers, lang="fr", anonymous=False)
    first = analysis.brokers[0]
    assert (
        notes
        == [
            "Passerelles : "
            + " · ".join(f"{b['name']} relie {b['groups']} groupes qui ne se connaissent pas" for b in analysis.brokers[:3])
        ]
        and first["census"]
    )
    anonymous = ui.broker_notes(analysis.brokers, lang="en", anonymous=True)
    assert anonymous == [f"Brokers: {len(analysis.brokers)} participants"]
    g = network.summarise_for_wall(analysis.graph)
    fig = charts.network_figure(g, network.layout(g), analysis.metrics, only_bridges=True, wall=(1804, 676), notes=notes)
    assert "Passerelles : " + first["name"] in fig.layout.annotations[0].text.replace("<br>", " ")


def test_community_colours_are_at_most_seven_and_keep_their_colour_across_views(tmp_path):
    analysis, room, *_ = _room_analysis(tmp_path, participants=60)
    assert analysis.communities > charts.COMMUNITY_COLOURS  # the case: more communities than colours
    g, table = analysis.graph, analysis.metrics
    positions = network.layout(g)
    full = charts.network_figure(g, positions, table, color_by="community")
    bridges = charts.network_figure(g, positions, table, color_by="community", only_bridges=True)
    legend = [tr.name for tr in full.data if tr.showlegend is not False and tr.name]
    assert len(legend) <= charts.COMMUNITY_COLOURS + 1 and legend[-1] == "Autres communautés"
    assert legend[:3] == ["Communauté 1", "Communauté 2", "Communauté 3"]
    colours = {tr.name: tr.marker.color for tr in full.data if tr.name}
    assert all(colours[tr.name] == tr.marker.color for tr in bridges.data if tr.name in colours)
    assert colours["Communauté 2"] == charts.PALETTE[1] and colours["Autres communautés"] == "#9a9a9a"


def test_the_bridges_view_holds_only_shared_contacts_their_participants_and_brokers(tmp_path):
    analysis, *_ = _room_analysis(tmp_path, participants=12)
    g, table = analysis.graph, analysis.metrics
    positions = network.layout(g)
    brokers = tuple(b["key"] for b in analysis.brokers)
    full = charts.network_figure(g, positions, table)
    bridges = charts.network_figure(g, positions, table, only_bridges=True, brokers=brokers)

    def drawn(fig):
        return {
            (round(x, 4), round(y, 4))
            for tr in fig.data
            if tr.mode and "markers" in tr.mode
            for x, y in zip(tr.x, tr.y, strict=True)
        }

    at = {v["key"]: (round(positions[v["key"]][0], 4), round(positions[v["key"]][1], 4)) for v in g.vs}
    shared = {v["key"] for v in g.vs if v["kind"] == "contact" and len(v["known_by"]) >= 2}
    sharers = {g.vs[n]["key"] for v in g.vs if v["key"] in shared for n in g.neighbors(v) if g.vs[n]["kind"] == "participant"}
    expected = {at[k] for k in shared | sharers | set(brokers)}
    assert drawn(bridges) == expected and drawn(bridges) != drawn(full)
    assert len(drawn(full)) == g.vcount() > len(expected)


def test_a_new_idea_brings_every_wall_to_the_page_that_holds_it():
    now = dt.datetime(2026, 12, 5, 10, 0, tzinfo=dt.UTC)
    old = [{"id": i, "created_at": (now - dt.timedelta(minutes=5)).isoformat(timespec="seconds")} for i in range(30, 0, -1)]
    slot = 2  # the third page of four
    assert walls.ideas_page(old, slot=slot, now=now).index == 2
    new = [{"id": 31, "created_at": (now - dt.timedelta(seconds=3)).isoformat(timespec="seconds")}, *old]
    shown = walls.ideas_page(new, slot=slot, now=now)
    assert (shown.index, shown.count, shown.items[0]["id"]) == (0, 4, 31)
    later = walls.ideas_page(new, slot=slot, now=now + dt.timedelta(seconds=walls.PAGE_SECONDS))
    assert later.index == 2  # the rotation goes on once the idea has been seen for a page's turn


def _pulse(*, version: int = 7, view: str = "network", title: str = "Atelier", settings: dict | None = None) -> walls.Pulse:
    room = Workshop(
        id=1,
        code="ABC123",
        title=title,
        language="fr",
        question="Q ?",
        join_locked=False,
        retention_date="2027-01-01",
        created_at="2026-12-06",
        show_labels=False,
        anonymous=True,
        public_base_url="",
        vote_dots=3,
        projector_view=view,
        version=version,
        settings=settings or {},
    )
    return walls.Pulse(room=room, current=None)


@pytest.mark.parametrize(
    ("now", "pulse", "slot", "pages", "expected"),
    [
        (101.0, _pulse(), 5, 1, None),  # nothing changed
        (101.0, _pulse(version=8), 5, 1, None),  # new data, drawn 1 s ago: it waits
        (103.0, _pulse(version=8), 5, 1, "view"),  # new data, the wait is over
        (101.0, _pulse(view="ideas"), 5, 1, "view"),  # a switch does not wait
        (101.0, _pulse(settings={"labels": "on"}), 5, 1, "view"),  # nor a display setting
        (101.0, _pulse(), 6, 1, None),  # a new rotation slot, a view of one page
        (101.0, _pulse(), 6, 3, "view"),  # …of three pages: the next one
        (131.0, _pulse(), 5, 1, "view"),  # 31 s old: "new" highlights age
        (101.0, _pulse(title="Renommé", version=8), 6, 3, "page"),  # the header's words: the whole page
    ],
)
def test_the_wall_clock_redraws_only_what_changed(now, pulse, slot, pages, expected):
    drawn = walls.drawn_from(_pulse(), at=100.0, slot=5, pages=pages)
    assert walls.what_to_redraw(drawn, pulse, now=now, slot=slot, wait=3, age_limit=30) == expected
