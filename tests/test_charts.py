"""Figure builders: escaped text, privacy of labels, participants drawn apart."""

from __future__ import annotations

from tests.test_network import confirm, make_room
from workshop import charts, network, rooms


def _figure(db, **kwargs):
    w, people, ids = make_room(
        db,
        {
            "Ana": [{"label": "<b>Zoé</b> Martin", "circle": "family"}, {"label": "Privé Un", "circle": "clients"}],
            "Ben": [{"label": "Zoé Martin", "circle": "family"}],
        },
    )
    confirm(db, w, (ids[("Ana", "<b>Zoé</b> Martin")], ids[("Ben", "Zoé Martin")]))
    room = rooms.load(db, w.id)
    g = network.build_graph(room)
    return charts.network_figure(g, network.layout(g), network.metrics(g), lang="fr", **kwargs)


def test_labels_hidden_by_default_and_participants_dark(db):
    fig = _figure(db)
    blob = str(fig.to_dict())
    assert "Privé Un" not in blob and "Zoé" not in blob
    (participants,) = [t for t in fig.data if t.name == "Participant"]
    assert participants.marker.color == "#222222" and set(participants.text) == {"Ana", "Ben"}
    assert "×2" in blob  # the bridge says how many know it, not who it is


def test_on_the_wall_labels_are_drawn_after_every_node(db):
    """Plotly draws traces in order: labels in the last trace stay above every group's nodes."""
    fig = _figure(db, wall=(1800, 700))
    *nodes, labels = fig.data
    assert labels.mode == "markers+text" and labels.marker.opacity == 0 and labels.showlegend is False
    assert {"Ana", "Ben", "×2"} <= set(labels.text)
    assert nodes and all(t.mode in ("markers", "lines") and not t.text for t in nodes)


def _node_sizes(fig) -> list[float]:
    *nodes, _labels = fig.data
    return [size for t in nodes if t.mode == "markers" for size in t.marker.size]


def test_on_the_wall_markers_cover_a_bounded_share_of_the_picture(db):
    """At a conference of 1,000 the diamonds hid every shared contact: sizes shrink together."""
    roomy = _node_sizes(_figure(db, wall=(1800, 700)))
    cramped = _node_sizes(_figure(db, wall=(90, 60)))
    assert sum(s * s for s in roomy) < charts.WALL_INK_SHARE * 1800 * 700  # a small room is drawn as it was
    assert sum(s * s for s in cramped) <= charts.WALL_INK_SHARE * 90 * 60 * 1.001
    assert min(cramped) >= charts.WALL_MIN_NODE_PX and max(cramped) < max(roomy)
    big, small = roomy.index(max(roomy)), roomy.index(min(roomy))
    assert cramped[big] > cramped[small]  # the largest stays the largest


def test_labels_shown_escaped_when_opted_in(db):
    blob = str(_figure(db, show_labels=True).to_dict())
    assert "&lt;b&gt;Zoé&lt;/b&gt; Martin" in blob and "<b>Zoé</b>" not in blob
    assert "Privé Un" in blob


def test_anonymous_mode_hides_participant_names(db):
    fig = _figure(db, anonymous=True)
    assert "Ana" not in str(fig.to_dict()) and "Ben" not in str(fig.to_dict())


def _circle_colours(db, rows):
    w, _, _ = make_room(db, rows)
    room = rooms.load(db, w.id)
    g = network.build_graph(room)
    fig = charts.network_figure(g, network.layout(g), network.metrics(g), lang="fr", color_by="circle")
    return {trace.name: trace.marker.color for trace in fig.data if trace.mode and "markers" in trace.mode}


def test_a_circle_family_keeps_its_colour_whatever_the_sizes(db):
    many_clients = _circle_colours(
        db,
        {
            "Ana": [{"label": f"C{n}", "circle": "clients"} for n in range(5)] + [{"label": "F1", "circle": "family"}],
        },
    )
    many_family = _circle_colours(
        db,
        {
            "Ben": [{"label": f"F{n}", "circle": "family"} for n in range(5)] + [{"label": "C1", "circle": "suppliers"}],
        },
    )
    assert many_clients["Clients et partenaires"] == many_family["Clients et partenaires"] == charts.FAMILY_COLOURS["business"]
    assert many_clients["Famille et proches"] == many_family["Famille et proches"] == charts.FAMILY_COLOURS["close"]


def test_twelve_circles_make_at_most_seven_legend_entries(db):
    from workshop.model import CIRCLES

    colours = _circle_colours(db, {"Cléo": [{"label": f"X{n}", "circle": c} for n, c in enumerate(CIRCLES)]})
    assert len(colours) <= 7 and "Participant" in colours


def test_vote_ranking_says_one_idea_and_is_large():
    import pandas as pd

    themes = pd.DataFrame(
        [{"id": 1, "label": "Vélo", "ideas": 1, "votes": 4}, {"id": 2, "label": "Santé", "ideas": 3, "votes": 2}]
    )
    fig = charts.votes_figure(themes, lang="fr")
    assert list(fig.data[0].y) == ["Santé (3 idées)", "Vélo (1 idée)"]
    assert fig.layout.yaxis.tickfont.size >= 24 and fig.data[0].textfont.size >= 24


def test_charts_write_numbers_as_the_workshops_language_does_and_count_in_whole_numbers():
    """A French chart: decimal comma and grouped thousands ("1 434"), whole-number ticks for
    counts, "Flux marchands : 1 782"; an English one: "1,434"; no axis text under 24 px."""
    import pandas as pd

    fr = charts.bar_figure({"Pays de la Loire": 1434, "Bretagne": 3}, lang="fr")
    en = charts.bar_figure({"Pays de la Loire": 1434, "Bretagne": 3}, lang="en")
    assert fr.layout.separators == ", " and en.layout.separators == ".,"
    assert fr.data[0].texttemplate == "%{text:,d}" and fr.layout.xaxis.tickformat == ",d"
    small = charts.bar_figure({"a": 2, "b": 1}, lang="fr")
    assert small.layout.xaxis.dtick == 1  # never "0.5 / 1.5" for a count
    flows = charts.flows_figure(
        {"flows": {"goods": 1782, "money": 3, "knowledge": 5, "trust": 0, "emotion": 1}, "market": 1782, "non_market": 6},
        lang="fr",
    )
    assert flows.layout.title.text == "Flux marchands : 1\xa0782 · Flux non marchands : 6"
    english = charts.flows_figure({"flows": {"goods": 1782}, "market": 1782, "non_market": 0}, lang="en").layout.title.text
    assert english.startswith("Market flows: 1,782")
    growth = charts.growth_figure({"Contacts": [(0.0, 0), (5.0, 3)]}, lang="fr")
    votes = charts.votes_figure(pd.DataFrame({"id": [1], "label": ["Vélo"], "ideas": [2], "votes": [1]}), lang="fr")
    heatmap = charts.circles_heatmap(pd.DataFrame({"family": [1, 2], "hobby": [0, 3]}, index=["Ana", "Ben"]), lang="fr")
    for fig in (fr, en, small, flows, growth, votes, heatmap):
        for axis in (*fig.select_xaxes(), *fig.select_yaxes()):
            assert axis.tickfont.size >= 24


def test_a_large_room_s_participants_by_circles_shows_the_25_most_connected():
    import pandas as pd

    matrix = pd.DataFrame({"family": range(60), "hobby": [1] * 60}, index=[f"P{i:02d}" for i in range(60)])
    fig = charts.circles_heatmap(matrix, lang="fr")
    assert list(fig.data[0].y) == [f"P{i:02d}" for i in range(59, 34, -1)]
    assert fig.layout.title.text == "Les 25 participants aux contacts les plus nombreux (sur 60)"


def test_a_size_setting_naming_a_measure_that_is_gone_draws_by_degree(db):
    def sizes(size_by: str) -> list:
        figure = _figure(db, size_by=size_by)
        return [size for trace in figure.data if trace.marker and trace.marker.size is not None for size in trace.marker.size]

    assert sizes("closeness") == sizes("degree") != sizes("betweenness")


def test_lines_are_drawn_as_trails_each_edge_once():
    """The wall's lines go on from node to node (one point per edge, not two and a gap): every
    edge is one step of exactly one walk, and a graph with two odd nodes is one walk."""
    square_and_tail = [(0, 1), (1, 2), (2, 3), (3, 0), (3, 4)]
    trails = charts.edge_trails(square_and_tail)
    steps = [tuple(sorted(pair)) for trail in trails for pair in zip(trail, trail[1:], strict=False)]
    assert sorted(steps) == sorted(tuple(sorted(e)) for e in square_and_tail) and len(trails) == 1
    assert trails == charts.edge_trails(square_and_tail)  # the same edges, the same walks
    star = [(0, n) for n in range(1, 6)]  # five odd leaves and an odd centre: three walks at least
    assert sorted(tuple(sorted(p)) for t in charts.edge_trails(star) for p in zip(t, t[1:], strict=False)) == star
    assert charts.edge_trails([]) == []


def test_the_figures_lines_join_exactly_the_graphs_edges(db):
    w, _, _ = make_room(
        db,
        {
            "Ana": [{"label": "Zoé Martin", "circle": "family"}, {"label": "Léo", "circle": "clients", "dormant": True}],
            "Ben": [{"label": "Zoé Martin", "circle": "family"}, {"label": "Inès", "circle": "current_colleagues"}],
        },
    )
    g = network.build_graph(rooms.load(db, w.id))
    positions = network.layout(g)
    fig = charts.network_figure(g, positions, network.metrics(g), lang="fr")

    def end(v: int) -> tuple[float, float]:
        x, y = positions[g.vs[v]["key"]]
        return round(round(x, 4), 3), round(round(y, 4), 3)

    drawn = []
    for trace in fig.data:
        if trace.mode == "lines":
            points = list(zip(trace.x, trace.y, strict=True))
            drawn += [frozenset((a, b)) for a, b in zip(points, points[1:], strict=False) if None not in a + b]
    assert sorted(map(sorted, drawn)) == sorted(sorted({end(e.source), end(e.target)}) for e in g.es)
