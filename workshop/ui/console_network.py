"""The console's network section: the view the wall shows, filters, a node's details, the
findings and the "same person?" proposals."""

from __future__ import annotations

import streamlit as st

from workshop import network, ui
from workshop.model import (
    CIRCLES,
    COLOUR_MODES,
    DORMANT_MODES,
    FLOWS,
    NETWORK_VIEWS,
    REGIONS,
    Workshop,
)
from workshop.ui import facilitator as room
from workshop.ui.facilitator import act

# ---------------------------------------------------------------- network


def _save_view(w: Workshop, **changes) -> None:
    ui.run(room.update_view_settings, w.id, **changes)


def _setting_choice(column, w: Workshop, setting: str, options: list[str], *, key: str, label: str, words: str) -> None:
    """One display setting of the network as a select box, saved when changed; a stored value
    outside the options (an older bundle's) shows the first."""
    current = w.settings.get(setting)
    column.selectbox(
        ui.t(label),
        options,
        index=options.index(current) if current in options else 0,
        format_func=lambda v: ui.t(f"{words}.{v}"),
        key=key,
        on_change=lambda: _save_view(w, **{setting: st.session_state[key]}),
    )


def network_section(w: Workshop) -> None:
    settings = w.settings
    filters = settings.get("filters", {})
    c = st.columns(4)
    # (setting, its allowed values, widget key, label, catalogue prefix of each value's name)
    for column, (setting, allowed, key, label, words) in zip(
        c,
        (
            ("net_view", NETWORK_VIEWS, "net_view", "con.network_view", "net.view"),
            ("color_by", COLOUR_MODES, "net_color", "con.color_by", "net.by"),
            ("size_by", network.SIZE_MODES, "net_size", "con.size_by", "net.size"),
        ),
        strict=False,
    ):
        _setting_choice(column, w, setting, list(allowed), key=key, label=label, words=words)
    with c[3].popover(ui.t("con.filters")):
        with st.form("net_filters", border=False):
            st.multiselect(
                ui.t("field.circle"),
                CIRCLES,
                default=filters.get("circles", []),
                format_func=lambda x: ui.t(f"circle.{x}"),
                placeholder=ui.t("field.choose"),
                key="f_circles",
            )
            st.multiselect(
                ui.t("field.flows"),
                FLOWS,
                default=filters.get("flows", []),
                format_func=lambda x: ui.t(f"flow.{x}"),
                placeholder=ui.t("field.choose"),
                key="f_flows",
            )
            st.select_slider(ui.t("con.min_strength"), [1, 2, 3], value=filters.get("min_strength", 1), key="f_strength")
            st.select_slider(ui.t("con.min_trust"), [1, 2, 3], value=filters.get("min_trust", 1), key="f_trust")
            modes = list(DORMANT_MODES)
            st.radio(
                ui.t("con.only_dormant"),
                modes,
                index=modes.index(filters.get("dormant", "all")),
                horizontal=True,
                key="f_dormant",
                format_func=lambda m: {
                    "all": ui.t("con.all"),
                    "dormant": ui.t("con.dormant_only"),
                    "active": ui.t("con.active_only"),
                }[m],
            )
            st.multiselect(
                ui.t("field.region"),
                REGIONS,
                default=filters.get("regions", []),
                placeholder=ui.t("field.choose"),
                key="f_regions",
            )
            st.form_submit_button(ui.t("me.save"), on_click=ui.guarded(lambda: _save_filters(w)))

    version = room.version(w.id)
    selection = ui.render_network(w, version, height=640, key="con_net", on_select="rerun")
    picked = []
    if selection is not None and hasattr(selection, "selection"):
        picked = [p.get("customdata") for p in selection.selection.get("points", []) if p.get("customdata")]
    if picked:
        node_details(w, version, picked[0])
    findings_panel(w, version)
    candidates_panel(w, version)


def findings_panel(w: Workshop, version: int) -> None:
    """The room's findings as tables (the console may show labels; the wall shows counts)."""
    filters_json, _ = ui.view_settings(w)
    a = ui.network_analysis(ui.database(), w.id, version, filters_json).analysis
    div = a.tie_diversity["room"]
    cols = st.columns(5)
    cols[0].metric(ui.t("proj.bridges").capitalize(), ui.number(len(a.bridge_contacts)))
    cols[1].metric(ui.t("net.communities").capitalize(), a.communities)
    cols[2].metric(ui.t("net.dormant"), ui.number(sum(a.sleeping_capital.values())))
    cols[3].metric(ui.t("net.weak"), f"{div['weak']:.0%}")
    cols[4].metric(ui.t("net.cross_circle"), f"{div['cross_circle']:.0%}")
    left, mid, right = st.columns(3)
    with left:
        st.markdown(f"**{ui.t('net.bridge_contacts')}**")
        ui.table(
            [
                {ui.t("net.contact"): b["label"], "n": b["count"], ui.t("con.known_by"): ", ".join(b["known_by"])}
                for b in a.bridge_contacts[:20]
            ]
        )
    with mid:
        st.markdown(f"**{ui.t('net.brokers')}**")
        st.caption(ui.census_summary(a))
        ui.table(
            [
                {
                    ui.t("net.participant"): b["name"],
                    "": ui.broker_reason(b),
                    ui.t("net.effective_size"): round(b["effective_size"], 1),
                }
                for b in a.brokers
            ]
        )
        st.markdown(f"**{ui.t('net.dormant')}**")
        ui.table([{ui.t("field.circle"): ui.t(f"circle.{k}"), "n": v} for k, v in a.sleeping_capital.items()])
    with right:
        st.markdown(f"**{ui.t('net.introductions')}**")
        ui.table(
            [
                {
                    "": ui.t(
                        "net.offers",
                        who=m["via"] + (f" → {m['contact']}" if m["contact"] else ""),
                        skill=m["skill"],
                        seeker=m["seeker"],
                    )
                }
                for m in a.skill_matches[:30]
            ]
        )


def _save_filters(w: Workshop) -> None:
    s = st.session_state
    filters = {
        "circles": s.get("f_circles") or [],
        "flows": s.get("f_flows") or [],
        "min_strength": s.get("f_strength", 1),
        "min_trust": s.get("f_trust", 1),
        "dormant": s.get("f_dormant", "all"),
        "regions": s.get("f_regions") or [],
    }
    filters = {k: v for k, v in filters.items() if v and v not in (1, "all")}
    _save_view(w, filters=filters)


def node_details(w: Workshop, version: int, key: str) -> None:
    filters_json, _ = ui.view_settings(w)
    shared = ui.network_analysis(ui.database(), w.id, version, filters_json)
    g, seen = shared.analysis.graph, shared.room
    found = g.vs.select(key=key)
    if not len(found):
        return
    v = found[0]
    names = dict(zip(seen.participants["id"], seen.participants["display_name"], strict=True))
    with st.container(border=True):
        st.markdown(f"**{ui.t('con.node_details')}** — {ui.escape_md(v['label'])}")
        st.markdown(ui.escape_md(f"{ui.t('con.known_by')}: " + ", ".join(names.get(p, "?") for p in v["known_by"])))
        st.markdown(ui.escape_md(", ".join(ui.t(f"circle.{c}") for c in v["circles"])))
        edges = g.es[g.incident(v)]
        flows = sorted({f for fl in edges["flows"] for f in fl})
        st.markdown(ui.escape_md(", ".join(ui.t(f"flow.{f}") for f in flows)))


def candidates_panel(w: Workshop, version: int) -> None:
    seen = ui.room_at(ui.database(), w.id, version)  # what the proposals were computed from
    room_contacts, people, merges = seen.contacts, seen.participants, seen.merges
    todo = ui.merge_decisions(ui.database(), w.id, version)
    owner = dict(zip(room_contacts["id"], room_contacts["participant_id"], strict=True))
    pnames = dict(zip(people["id"], people["display_name"], strict=True))
    left, right = st.columns([3, 2])
    with left:
        st.header(ui.t("con.candidates"), anchor=False)
        if not todo:
            st.caption(ui.t("con.no_candidates"))
        else:
            same = sum(1 for d in todo if d.same_label)
            st.markdown(f"**{ui.t('con.decisions_left', n=len(todo), same=same)}**")
        for decision in todo[:25]:
            cols = st.columns([6, 2, 2], vertical_alignment="center")
            pairs = [{"kind": c.kind, "a_id": c.a_id, "b_id": c.b_id, "score": c.score} for c in decision.candidates]
            if decision.same_label:
                who = sorted({pnames.get(owner.get(cid), "?") for cid in decision.contact_ids})
                cols[0].markdown(ui.escape_md(ui.t("con.same_label", label=decision.label, n=len(who), who=", ".join(who))))
                confirm = ui.t("con.confirm_all", n=len(decision.contact_ids))
            else:
                cand = decision.candidates[0]
                other = cand.b_label if cand.kind == "contact" else f"👤 {cand.b_label}"
                cols[0].markdown(ui.escape_md(f"{cand.a_label} ≈ {other} · {cand.score:.0f} · {ui.evidence_text(cand.evidence)}"))
                confirm = ui.t("con.confirm")
            first = decision.candidates[0]
            key = f"{first.kind}_{first.a_id}_{first.b_id}"
            cols[1].button(confirm, key=f"ok_{key}", on_click=act(w, room.decide_merges, pairs, status="confirmed"))
            cols[2].button(ui.t("con.reject"), key=f"no_{key}", on_click=act(w, room.decide_merges, pairs, status="rejected"))
    with right:
        st.header(ui.t("con.decided"), anchor=False)
        labels = dict(zip(room_contacts["id"], room_contacts["label"], strict=True))
        for m in merges.sort_values("id", ascending=False).head(30).itertuples():
            other = labels.get(m.b_id, "?") if m.kind == "contact" else f"👤 {pnames.get(m.b_id, '?')}"
            mark = "✅" if m.status == "confirmed" else "✖️"
            cols = st.columns([5, 2], vertical_alignment="center")
            cols[0].markdown(ui.escape_md(f"{mark} {labels.get(m.a_id, '?')} ≈ {other}"))
            cols[1].button(ui.t("con.undo"), key=f"undo_{m.id}", on_click=act(w, room.undo_merge, int(m.id)))
