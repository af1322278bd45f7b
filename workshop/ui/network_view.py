"""The network view shared by the projector and the console: one analysis and one figure per
(version, view settings, language) for all tabs, and the words that go with it."""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass
from functools import cached_property

import streamlit as st

from workshop import charts, config, network
from workshop.i18n import count as i18n_count
from workshop.i18n import number as i18n_number
from workshop.i18n import t as translate
from workshop.ui.readings import room_at
from workshop.ui.session import database, lang, t


@st.cache_resource
def _layout_memory() -> network.LayoutMemory:
    return network.LayoutMemory()


def wall_positions(workshop_id: int) -> dict | None:
    """The layout the projector drew last for this workshop (for the Gephi export)."""
    return _layout_memory().last((database(), workshop_id))


@dataclass(frozen=True)
class RoomNetwork:
    """A room's network at one data version, as every tab shares it."""

    room: network.Room
    analysis: network.Analysis  # with the facilitator's filters applied
    full_graph: object  # the unfiltered graph (igraph), which the positions come from
    layout_key: tuple[str, int]  # where the layout memory keeps this room's last positions

    @cached_property
    def positions(self) -> dict:
        """Every node's position, laid out when first asked: a large room's wall draws its
        summary (laid out apart) and never needs them (0.5 s at 1,000 people)."""
        return _layout_memory().positions(self.layout_key, self.full_graph)


@st.cache_resource(max_entries=24, show_spinner=False)
def network_analysis(path: str, workshop_id: int, version: int, filters_json: str) -> RoomNetwork:
    """Graph, metrics and findings at one data version; shared read-only by every tab."""
    room = room_at(path, workshop_id, version)
    analysis = network.analyse(room, filters=json.loads(filters_json))
    # Positions come from the unfiltered graph, so a filter hides nodes without moving the rest.
    full = network.build_graph(room) if filters_json != "{}" else analysis.graph
    return RoomNetwork(room, analysis, full, (path, workshop_id))


@st.cache_resource(max_entries=24, show_spinner=False)
def network_figure(path: str, workshop_id: int, version: int, view_json: str, lang: str):
    """The figure for one (version, view settings, language): built once for all tabs."""
    view = json.loads(view_json)
    result = network_analysis(path, workshop_id, version, json.dumps(view.get("filters", {}), sort_keys=True))
    graph, positions, plot_px = result.analysis.graph, None, None
    if view.get("wall"):
        plot_px = charts.wall_plot_px(WALL_CONTENT_WIDTH, view.get("height", 760))
        full = result.full_graph
        if full.vcount() > network.WALL_DETAIL_LIMIT and view.get("net_view") == "bridges":
            # A conference's bridges: its communities as bubbles and the people between them.
            cmap = network.community_map(graph, result.analysis.metrics)
            return charts.community_figure(
                cmap, lang=lang, anonymous=view.get("anonymous", False), height=view.get("height", 760), wall=plot_px
            )
        if full.vcount() > network.WALL_DETAIL_LIMIT:
            # A large room on the wall: participants and shared contacts, laid out on their own
            # (remembered apart from the full picture, so both stay stable).
            graph = network.summarise_for_wall(graph)
            positions = _layout_memory().positions((f"{path}#wall", workshop_id), network.summarise_for_wall(full))
    return charts.network_figure(
        graph,
        positions if positions is not None else result.positions,
        result.analysis.metrics,
        lang=lang,
        color_by=view.get("color_by", "circle"),
        size_by=view.get("size_by", "degree"),
        show_labels=view.get("show_labels", False),
        anonymous=view.get("anonymous", False),
        only_bridges=view.get("net_view") == "bridges",
        height=view.get("height", 760),
        wall=plot_px,
        fresh_since=view.get("fresh_since"),
        notes=broker_notes(result.analysis.brokers, lang=lang, anonymous=view.get("anonymous", False))
        if view.get("net_view") == "bridges"
        else None,
        brokers=tuple(b["key"] for b in result.analysis.brokers),
    )


def broker_notes(brokers: list[dict], *, lang: str, anonymous: bool, top: int = 3) -> list[str]:
    """The bridges view's caption: its brokers and why ("Ana relie 3 groupes qui ne se connaissent
    pas"); how many there are in an anonymous workshop."""
    if not brokers:
        return []
    if anonymous:
        return [
            translate(
                "net.bubble_brokers", lang, names=i18n_count(len(brokers), "th.one_participant", "th.n_participants", lang=lang)
            )
        ]
    named = " · ".join(f"{b['name']} {broker_reason(b, lang)}" for b in brokers[:top])
    return [translate("net.bubble_brokers", lang, names=named)]


FRESH_STEP_SECONDS = 30


WALL_CONTENT_WIDTH = 1824  # the wall canvas (1920 px) less its side padding (projector_css)


def wall_chart(fig, *, key: str | None, width: int = WALL_CONTENT_WIDTH) -> None:
    """A chart on the wall canvas at a fixed width: measured in the browser, the scaled canvas
    would give Streamlit the screen's width, not the canvas's."""
    if fig.layout.width != width:  # a cached figure arrives sized already: never changed in place by a run
        fig.update_layout(width=width, autosize=False)
    st.plotly_chart(fig, key=key, width=width, config={"displayModeBar": False, "staticPlot": True})


def view_settings(workshop, *, height: int = 760, wall: bool = False) -> tuple[str, str]:
    """(filters_json, view_json) from the workshop's settings: the console decides, the wall follows."""
    s = workshop.settings
    filters = s.get("filters", {})
    view = {
        "filters": filters,
        "color_by": s.get("color_by", "circle"),
        "size_by": s.get("size_by", "degree"),
        "net_view": s.get("net_view", "full"),
        "show_labels": workshop.show_labels,
        "anonymous": workshop.anonymous,
        "height": height,
        "wall": wall,
    }
    if wall:
        # What arrived in the last minutes is ringed on the wall; the moment is rounded to the wall's
        # full redraw, so every wall shares one figure per half-minute.
        moment = int(time.time()) // FRESH_STEP_SECONDS * FRESH_STEP_SECONDS - config.NEW_WINDOW_SECONDS
        view["fresh_since"] = dt.datetime.fromtimestamp(moment, dt.UTC).isoformat(timespec="seconds")
    return json.dumps(filters, sort_keys=True), json.dumps(view, sort_keys=True)


def broker_reason(broker: dict, lang_code: str | None = None) -> str:
    """Why a participant is a broker, in the room's words: the groups they link when their census
    says so ("relie 3 groupes qui ne se connaissent pas"), else the communities they reach."""
    code = lang_code or lang()
    if broker["census"]:
        return translate("net.links_groups", code, n=broker["groups"])
    return f"{broker['communities']} {translate('net.communities', code)}"


def census_summary(analysis, lang_code: str | None = None) -> str:
    """How many participants said who knows whom (the brokers' wording depends on it)."""
    code = lang_code or lang()
    answered = int(analysis.holes_median["participants"])
    if not answered:
        return translate("net.census_none", code)
    ties = sum(1 for kind in analysis.graph.es["kind"] if kind == "knows") if analysis.graph.ecount() else 0
    return translate("net.census_share", code, n=answered, total=len(analysis.holes), ties=i18n_number(ties, code))


def render_network(workshop, version: int, *, height: int = 760, key: str | None = None, on_select=None, wall: bool = False):
    """The network view the facilitator chose (full, bridges, circles, reach, flows); `wall`: drawn
    for the projector's canvas (labels that fit, a large room summarised)."""
    filters_json, view_json = view_settings(workshop, height=height, wall=wall)
    shared = network_analysis(database(), workshop.id, version, filters_json)
    analysis, room = shared.analysis, shared.room
    net_view = json.loads(view_json)["net_view"]
    contacts = network.apply_filters(room.contacts, json.loads(filters_json))
    if analysis.graph.vcount() <= len(room.participants) and contacts.empty:
        st.info(t("proj.network_soon"))
        return None
    if net_view == "circles":
        st.plotly_chart(
            charts.circles_heatmap(
                network.participant_circles(contacts), lang=lang(), anonymous=workshop.anonymous, height=height
            ),
            key=key,
        )
        return None
    if net_view == "reach":
        c1, c2 = st.columns(2)
        with c1:
            st.plotly_chart(
                # Each person once, as the story and the report count them (not one per mention).
                charts.bar_figure(analysis.collective_reach["region"], title=t("net.by.region"), height=height, lang=lang()),
                key=f"{key}_r" if key else None,
            )
        with c2:
            st.plotly_chart(
                charts.bar_figure(
                    analysis.collective_reach["sector"], title=t("net.by.sector"), height=height, color="#ff7f0e", lang=lang()
                ),
                key=f"{key}_s" if key else None,
            )
        return None
    if net_view == "flows":
        st.plotly_chart(charts.flows_figure(analysis.flow_counts, lang=lang(), height=height), key=key)
        return None
    fig = network_figure(database(), workshop.id, version, view_json, lang())
    if on_select:
        return st.plotly_chart(fig, key=key, on_select=on_select, selection_mode=("points",), config={"displayModeBar": False})
    wall_chart(fig, key=key) if wall else st.plotly_chart(fig, key=key, config={"displayModeBar": False, "staticPlot": False})
    return analysis
