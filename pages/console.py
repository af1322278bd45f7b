"""The facilitator's console (?w=CODE&k=TOKEN): rounds, timers, moderation, network, themes,
collectifs, settings, export. Every action names this workshop's id server-side."""

import datetime as dt

import streamlit as st

from workshop import config, ui
from workshop.errors import WorkshopError
from workshop.model import (
    CIRCLES,
    COLOUR_MODES,
    DORMANT_MODES,
    EXPORT_LEVELS,
    FLOWS,
    JOIN_LIMITS,
    LANGUAGES,
    NETWORK_VIEWS,
    PROJECTOR_VIEWS,
    REGIONS,
    ROUNDS,
    SIZE_MODES,
)
from workshop.ui import facilitator as room

code = st.query_params.get("w", "")
workshop = ui.facilitator_gate(code, st.query_params.get("k", ""))
WID = workshop.id
ui.set_default_lang(workshop.language)


def act(fn, *args, success: str | None = None, **kwargs):
    """A callback that runs the write `fn(db, WID, ...)` (a `room.` name) and reports the outcome."""
    return ui.command(fn, WID, *args, success=success, **kwargs)


head = st.columns([6, 2], vertical_alignment="center")
head[0].title(ui.t("con.title"), anchor=False)
head[0].caption(ui.escape_md(f"{workshop.title} · {ui.t('proj.code')} {workshop.code}"))
with head[1]:
    ui.language_switch("con_lang")
    ui.page_chrome()
ui.show_flashes()

SECTIONS = ["room", "moderation", "network", "themes", "collectifs", "settings", "export"]
section = (
    st.segmented_control(
        ui.t("con.section"),
        SECTIONS,
        format_func=lambda s: ui.t(f"con.{s}"),
        key="con_section",
        default="room",
        label_visibility="collapsed",
    )
    or "room"
)


@st.fragment(run_every=config.REFRESH_SECONDS)
def live_counters() -> None:
    version, current = room.pulse(WID)
    c = ui.room_counters(WID, version)
    cols = st.columns(6)
    cols[0].metric(ui.t("con.participants"), ui.number(c["participants"]))
    cols[1].metric(ui.t("proj.contacts").capitalize(), ui.number(c["contacts"]))
    cols[2].metric(ui.t("proj.ideas").capitalize(), ui.number(c["ideas"]))
    cols[3].metric(ui.t("proj.votes").capitalize(), ui.number(c["voters"]))
    cols[4].metric(ui.t("proj.silent").capitalize(), ui.number(c["silent"]))
    left = room.seconds_left(current)
    label = ui.t(f"round.{current.name}") if current else ui.t("round.none")
    cols[5].metric(f"{ui.t('field.round')} · {label}", f"{left // 60:02d}:{left % 60:02d}" if left is not None else "—")


live_counters()
st.divider()


# ---------------------------------------------------------------- room


def open_round(name: str) -> None:
    """Open a round with the timer as typed now (read at click time, not at drawing time)."""
    minutes = st.session_state.get(f"timer_{name}") or None
    act(room.set_round, name, is_open=True, minutes=minutes)()


def join_panel() -> None:
    """Who is arriving (joins per minute), the room's join limits, and a flood undone in one action."""
    limits = room.join_limits(workshop.settings)
    per_minute = room.joins_per_minute(WID)
    st.caption(ui.t("con.joins_recent", now=per_minute[-1], series=" · ".join(str(n) for n in per_minute)))
    if not ui.disclosure(ui.t("con.join_limits"), key="con_join_limits"):
        return
    cols = st.columns(2)
    for col, key in zip(cols, JOIN_LIMITS, strict=True):
        _, low, high = JOIN_LIMITS[key]
        col.number_input(
            ui.t(f"con.{key}"),
            low,
            high,
            limits[key],
            key=f"lim_{key}",
            on_change=lambda k=key: act(room.update_view_settings, **{k: int(st.session_state[f"lim_{k}"])})(),
        )
    cols = st.columns([2, 3], vertical_alignment="bottom")
    cols[0].number_input(ui.t("con.flood_minutes"), 1, 120, 5, key="flood_minutes")
    confirmed = cols[1].checkbox(
        ui.t("con.flood_confirm", n=ui.number(sum(per_minute[-int(st.session_state.get("flood_minutes", 5)) :]))),
        key="flood_confirm",
    )
    st.button(ui.t("con.flood_remove"), key="flood_remove", disabled=not confirmed, on_click=_remove_flood)


def _remove_flood() -> None:
    minutes = int(st.session_state.get("flood_minutes", 5))
    gone = room.remove_joined_in_last(WID, minutes=minutes)
    st.session_state["flood_confirm"] = False
    ui.flash(ui.t("con.flood_removed", n=gone))


def room_section() -> None:
    left, right = st.columns([3, 2])
    with left:
        st.header(ui.t("con.rounds"), anchor=False)
        rounds = room.rounds(WID)
        for name in ROUNDS:
            r = rounds[name]
            cols = st.columns([3, 2, 2], vertical_alignment="bottom")
            state = ui.t("round.open") if r.is_open else ui.t("round.closed")
            cols[0].markdown(f"**{ui.t(f'round.{name}')}** — {state}")
            cols[1].number_input(
                ui.t("field.timer"),
                0,
                600,
                r.planned_minutes,
                key=f"timer_{name}",
                disabled=r.is_open,
            )
            if r.is_open:
                cols[2].button(ui.t("con.close"), key=f"close_{name}", on_click=act(room.set_round, name, is_open=False))
            else:
                cols[2].button(
                    ui.t("con.open"),
                    key=f"open_{name}",
                    type="primary",
                    on_click=open_round,
                    args=(name,),
                )
        st.divider()
        if workshop.join_locked:
            st.warning(ui.t("con.locked"))
            st.button(ui.t("con.unlock"), key="unlock", on_click=act(room.update_workshop, join_locked=False))
        else:
            st.caption(ui.t("con.unlocked"))
            st.button(ui.t("con.lock"), key="lock", on_click=act(room.update_workshop, join_locked=True))
        join_panel()
        views = list(PROJECTOR_VIEWS)
        st.segmented_control(
            ui.t("con.projector_view"),
            views,
            default=workshop.projector_view,
            format_func=lambda v: ui.t(f"view.{v}"),
            key="con_view",
            on_change=lambda: act(room.update_workshop, projector_view=st.session_state["con_view"] or workshop.projector_view)(),
        )
    with right:
        st.header(ui.t("con.links"), anchor=False)
        if room.is_loopback(room.join_url(workshop)):
            st.warning(ui.t("con.qr_loopback"))
        ui.qr_image(room.join_url(workshop), workshop.code, width=220)
        ui.copyable(room.join_url(workshop), label=ui.t("home.join_link"))
        choices = ui.address_choices(workshop)
        if choices:
            st.selectbox(
                ui.t("con.address_pick"),
                list(choices),
                format_func=choices.get,
                key="con_address",
                help=ui.t("con.address_help"),
                on_change=lambda: act(room.update_workshop, public_base_url=st.session_state["con_address"])(),
            )
        st.caption(ui.t("kit.title"))
        kit_cols = st.columns(2)
        kit_cols[0].download_button(
            ui.t("kit.poster"),
            data=lambda: room.poster(workshop),
            file_name=f"affiche-{workshop.code}.pdf",
            mime="application/pdf",
            key="kit_poster",
            on_click="ignore",
        )
        kit_cols[1].download_button(
            ui.t("kit.cards"),
            data=lambda: room.table_cards(workshop),
            file_name=f"chevalets-{workshop.code}.pdf",
            mime="application/pdf",
            key="kit_cards",
            on_click="ignore",
        )
        st.page_link("pages/projector.py", label=ui.t("home.open_projector"), query_params={"w": workshop.code})
        ui.copyable(room.projector_url(workshop), label=ui.t("home.open_projector"))  # copied as is: never altered


# ---------------------------------------------------------------- moderation


def moderation_section() -> None:
    ideas = room.ideas_frame(WID, include_hidden=True)
    people = room.participants_frame(WID)
    left, right = st.columns(2)
    with left:
        st.header(ui.t("view.ideas"), anchor=False)
        if ideas.empty:
            st.caption(ui.t("con.no_ideas"))
        for idea in ideas.sort_values("id", ascending=False).head(200).to_dict("records"):
            with st.container(border=True):
                cols = st.columns([6, 2, 2], vertical_alignment="center")
                with cols[0]:
                    # The idea as typed, its author apart: no Markdown of ours wraps user text.
                    ui.plain(idea["text"])
                    st.caption(ui.escape_md(f"— {idea['author']}" + (f" · {ui.t('con.hidden')}" if idea["hidden"] else "")))
                cols[1].button(
                    ui.t("con.show") if idea["hidden"] else ui.t("con.hide"),
                    key=f"hide_{idea['id']}",
                    on_click=act(room.set_idea_hidden, idea["id"], hidden=not idea["hidden"]),
                )
                cols[2].button(ui.t("con.delete"), key=f"delidea_{idea['id']}", on_click=act(room.delete_idea, idea["id"]))
    with right:
        st.header(ui.t("con.participants"), anchor=False)
        if people.empty:
            st.caption(ui.t("con.no_participants"))
        for p in people.to_dict("records"):
            cols = st.columns([5, 2, 2], vertical_alignment="center")
            cols[0].markdown(
                ("~~" if p["blocked"] else "")
                + ui.escape_md(p["display_name"])
                + ("~~" if p["blocked"] else "")
                + (f" · _{ui.t('con.rehearsal_badge')}_" if p["rehearsal"] else "")
            )
            cols[1].caption(f"{p['contacts']} / {p['ideas']}")
            cols[2].button(
                ui.t("con.unblock") if p["blocked"] else ui.t("con.block"),
                key=f"block_{p['id']}",
                on_click=act(room.set_blocked, p["id"], blocked=not p["blocked"]),
            )


# ---------------------------------------------------------------- network


def _save_view(**changes) -> None:
    ui.run(room.update_view_settings, WID, **changes)


def network_section() -> None:
    settings = workshop.settings
    filters = settings.get("filters", {})
    c = st.columns(4)
    views = list(NETWORK_VIEWS)
    c[0].selectbox(
        ui.t("con.network_view"),
        views,
        index=views.index(settings.get("net_view", "full")) if settings.get("net_view") in views else 0,
        format_func=lambda v: ui.t(f"net.view.{v}"),
        key="net_view",
        on_change=lambda: _save_view(net_view=st.session_state["net_view"]),
    )
    colours = list(COLOUR_MODES)
    c[1].selectbox(
        ui.t("con.color_by"),
        colours,
        index=colours.index(settings["color_by"]) if settings.get("color_by") in colours else 0,
        format_func=lambda v: ui.t(f"net.by.{v}"),
        key="net_color",
        on_change=lambda: _save_view(color_by=st.session_state["net_color"]),
    )
    sizes = list(SIZE_MODES)
    c[2].selectbox(
        ui.t("con.size_by"),
        sizes,
        index=sizes.index(settings["size_by"]) if settings.get("size_by") in sizes else 0,
        format_func=lambda v: ui.t(f"net.size.{v}"),
        key="net_size",
        on_change=lambda: _save_view(size_by=st.session_state["net_size"]),
    )
    with c[3].popover(ui.t("con.filters")):
        with st.form("net_filters", border=False):
            st.multiselect(
                ui.t("field.circle"),
                CIRCLES,
                default=filters.get("circles", []),
                format_func=lambda x: ui.t(f"circle.{x}"),
                key="f_circles",
            )
            st.multiselect(
                ui.t("field.flows"),
                FLOWS,
                default=filters.get("flows", []),
                format_func=lambda x: ui.t(f"flow.{x}"),
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
            st.multiselect(ui.t("field.region"), REGIONS, default=filters.get("regions", []), key="f_regions")
            st.form_submit_button(ui.t("me.save"), on_click=ui.guarded(_save_filters))

    version = room.version(WID)
    selection = ui.render_network(workshop, version, height=640, key="con_net", on_select="rerun")
    picked = []
    if selection is not None and hasattr(selection, "selection"):
        picked = [p.get("customdata") for p in selection.selection.get("points", []) if p.get("customdata")]
    if picked:
        node_details(version, picked[0])
    findings_panel(version)
    candidates_panel(version)


def findings_panel(version: int) -> None:
    """The room's findings as tables (the console may show labels; the wall shows counts)."""
    filters_json, _ = ui.view_settings(workshop)
    a = ui.network_analysis(ui.database(), WID, version, filters_json).analysis
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


def _save_filters() -> None:
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
    _save_view(filters=filters)


def node_details(version: int, key: str) -> None:
    filters_json, _ = ui.view_settings(workshop)
    shared = ui.network_analysis(ui.database(), WID, version, filters_json)
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


def candidates_panel(version: int) -> None:
    seen = ui.room_at(ui.database(), WID, version)  # what the proposals were computed from
    room_contacts, people, merges = seen.contacts, seen.participants, seen.merges
    todo = ui.merge_decisions(ui.database(), WID, version)
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
            cols[1].button(confirm, key=f"ok_{key}", on_click=act(room.decide_merges, pairs, status="confirmed"))
            cols[2].button(ui.t("con.reject"), key=f"no_{key}", on_click=act(room.decide_merges, pairs, status="rejected"))
    with right:
        st.header(ui.t("con.decided"), anchor=False)
        labels = dict(zip(room_contacts["id"], room_contacts["label"], strict=True))
        for m in merges.sort_values("id", ascending=False).head(30).itertuples():
            other = labels.get(m.b_id, "?") if m.kind == "contact" else f"👤 {pnames.get(m.b_id, '?')}"
            mark = "✅" if m.status == "confirmed" else "✖️"
            cols = st.columns([5, 2], vertical_alignment="center")
            cols[0].markdown(ui.escape_md(f"{mark} {labels.get(m.a_id, '?')} ≈ {other}"))
            cols[1].button(ui.t("con.undo"), key=f"undo_{m.id}", on_click=act(room.undo_merge, int(m.id)))


# ---------------------------------------------------------------- themes


def themes_section() -> None:
    c = st.columns([2, 2, 2, 3], vertical_alignment="bottom")
    n = c[0].number_input(ui.t("con.n_themes"), 0, 20, 0, key="n_themes")
    c[1].button(
        ui.t("con.cluster"),
        type="primary",
        key="cluster_btn",
        on_click=act(room.cluster_workshop, n_themes=n or None, fresh=True),
    )
    c[2].button(ui.t("con.recluster"), key="place_btn", on_click=act(room.place_new_ideas))
    with c[3].form("new_theme", border=False):
        st.text_input(ui.t("con.new_theme"), key="new_theme_label", max_chars=80)
        st.form_submit_button(
            ui.t("con.create"), on_click=lambda: act(room.create_theme, st.session_state.get("new_theme_label", ""))()
        )
    with st.form("day_themes", border=False):
        st.text_area(ui.t("con.day_themes"), key="day_themes_text", height=90, help=ui.t("con.day_themes_help"))
        st.form_submit_button(ui.t("con.day_themes_add"), on_click=_name_themes)
    st.checkbox(
        ui.t("con.wall_sure_only"),
        value=bool(workshop.settings.get("wall_sure_only")),
        key="wall_sure_only",
        on_change=lambda: act(room.update_view_settings, wall_sure_only=bool(st.session_state.get("wall_sure_only")))(),
    )
    frame = room.themes_frame(WID)
    ideas = room.ideas_frame(WID)
    room_contacts = room.contacts_frame(WID)
    people = room.participants_frame(WID, include_blocked=False)
    pnames = dict(zip(people["id"], people["display_name"], strict=True))
    dots = st.number_input(ui.t("field.vote_dots"), 1, 20, workshop.vote_dots, key="vote_dots")
    if dots != workshop.vote_dots:
        st.button(ui.t("me.save"), key="save_dots", on_click=act(room.update_workshop, vote_dots=int(dots)))
    options = {int(r.id): r.label for r in frame.itertuples()}
    unsorted = ideas[ideas["theme_id"].isna()] if not ideas.empty else ideas
    for theme in frame.sort_values(["votes", "id"], ascending=[False, True]).to_dict("records"):
        tid = int(theme["id"])
        with st.expander(
            f"{ui.escape_md(theme['label'])} — {ui.count(theme['ideas'], 'th.one_idea', 'th.n_ideas')}"
            f" · {ui.count(theme['votes'], 'th.one_dot', 'th.n_dots')}"
            + (f" · {ui.count(theme['chosen'], 'th.one_chosen', 'th.n_chosen')}" if theme["chosen"] else "")
            + (f" · {ui.count(theme['to_check'], 'th.one_to_check', 'th.n_to_check')}" if theme["to_check"] else "")
        ):
            cols = st.columns([3, 1, 3, 1, 1, 2], vertical_alignment="bottom")
            cols[0].text_input(ui.t("con.rename"), value=theme["label"], key=f"rn_{tid}", max_chars=80)
            cols[1].button(
                ui.t("con.rename"),
                key=f"rnb_{tid}",
                on_click=lambda tid=tid: act(room.rename_theme, tid, st.session_state.get(f"rn_{tid}", ""))(),
            )
            others = [o for o in options if o != tid]
            cols[2].selectbox(ui.t("con.merge_into"), others, format_func=lambda o: options[o], key=f"mg_{tid}", index=None)
            cols[3].button(ui.t("con.merge"), key=f"mgb_{tid}", on_click=lambda tid=tid: _merge(tid))
            cols[4].button(ui.t("con.split"), key=f"sp_{tid}", on_click=act(room.split_theme, tid))
            cols[5].button(
                ui.t("con.make_collectif"),
                key=f"mk_{tid}",
                on_click=act(room.create_collectif, name=theme["label"], theme_id=tid),
            )
            mine = ideas[ideas["theme_id"] == tid] if not ideas.empty else ideas
            helped = room.theme_help(mine, room_contacts, pnames, lang=ui.lang())
            if helped:
                st.caption(ui.escape_md(helped))
            for idea in mine.to_dict("records"):
                move_row(idea, options)
            st.button(ui.t("con.delete"), key=f"delth_{tid}", on_click=act(room.delete_theme, tid))
    doubtful = ideas[ideas["doubtful"]] if not ideas.empty else ideas
    if not doubtful.empty:
        with st.expander(f"{ui.t('con.to_check')} — {len(doubtful)}", expanded=True):
            for idea in doubtful.to_dict("records"):
                move_row(idea, options, confirm=True)
    if not unsorted.empty:
        with st.expander(f"{ui.t('con.to_sort')} — {len(unsorted)}", expanded=True):
            for idea in unsorted.to_dict("records"):
                move_row(idea, options)


def _name_themes() -> None:
    """The typed list becomes named themes; on a refusal the list stays in the box to correct."""
    try:
        made = room.name_themes(WID, str(st.session_state.get("day_themes_text") or "").splitlines())
    except WorkshopError as exc:
        ui.flash(exc.message(ui.lang()), "error")
    else:
        ui.flash(ui.count(len(made), "con.one_theme_added", "con.n_themes_added"))
        st.session_state["day_themes_text"] = ""


def move_row(idea: dict, options: dict, *, confirm: bool = False) -> None:
    cols = st.columns([5, 3, 1] if confirm else [5, 3], vertical_alignment="center")
    if confirm:
        cols[2].button(ui.t("con.confirm"), key=f"ok_{idea['id']}", on_click=act(room.confirm_placement, idea["id"]))
    cols[0].markdown(ui.escape_md(idea["text"]))
    choices = [0, *options]
    current = int(idea["theme_id"]) if idea["theme_id"] == idea["theme_id"] and idea["theme_id"] is not None else 0
    cols[1].selectbox(
        ui.t("con.move_to"),
        choices,
        index=choices.index(current) if current in choices else 0,
        format_func=lambda o: options.get(o, ui.t("con.to_sort")),
        key=f"mv_{idea['id']}{'_c' if confirm else ''}",
        label_visibility="collapsed",
        on_change=lambda i=idea["id"], k=f"mv_{idea['id']}{'_c' if confirm else ''}": act(
            room.move_idea, i, st.session_state.get(k) or None
        )(),
    )


def _merge(theme_id: int) -> None:
    target = st.session_state.get(f"mg_{theme_id}")
    if target:
        act(room.merge_themes, int(target), [theme_id])()


# ---------------------------------------------------------------- collectifs


def collectifs_section() -> None:
    groups = room.collectifs(WID)
    with st.form("new_collectif", border=False):
        st.text_input(ui.t("field.collectif"), key="new_collectif", max_chars=80)
        st.form_submit_button(
            ui.t("con.make_collectif"),
            on_click=lambda: act(room.create_collectif, name=st.session_state.get("new_collectif", ""))(),
        )
    if not groups:
        st.caption(ui.t("me.no_collectifs"))
    for group in groups:
        with st.container(border=True):
            st.markdown(f"**{ui.escape_md(group['name'])}**")
            st.markdown(ui.escape_md(ui.t("me.members_list", names=", ".join(m["display_name"] for m in group["members"]))))
            for step in group["next_steps"]:
                ui.plain(f"→ {ui.step_text(step)}")
            st.caption(f"{ui.t('proj.mobilises')} {len(group['contacts'])}")
            st.button(ui.t("con.delete"), key=f"delcol_{group['id']}", on_click=act(room.delete_collectif, group["id"]))


# ---------------------------------------------------------------- settings


def settings_section() -> None:
    if workshop.retention_date < dt.date.today().isoformat():
        st.warning(ui.t("con.retention_passed", date=ui.date_text(workshop.retention_date)))
    with st.form("settings_form"):
        st.text_input(ui.t("field.title"), value=workshop.title, key="set_title", max_chars=120)
        st.text_area(ui.t("field.question"), value=workshop.question, key="set_question", max_chars=300)
        st.selectbox(
            ui.t("field.language"),
            list(LANGUAGES),
            index=LANGUAGES.index(workshop.language),
            format_func=ui.language_name,
            key="set_lang",
        )
        retention = dt.date.fromisoformat(workshop.retention_date)
        st.date_input(
            ui.t("field.retention"),
            value=retention,
            min_value=min(retention, dt.date.today()),
            key="set_retention",
            format="DD/MM/YYYY",
        )
        st.checkbox(ui.t("con.show_labels"), value=workshop.show_labels, key="set_labels")
        st.checkbox(ui.t("con.anonymous"), value=workshop.anonymous, key="set_anon")
        st.text_input(ui.t("field.base_url"), value=workshop.public_base_url, key="set_url", placeholder=config.public_base_url())
        st.form_submit_button(
            ui.t("me.save"), type="primary", on_click=ui.guarded(_save_settings, success=ui.t("con.settings_saved"))
        )
    st.divider()
    rehearsal_and_template()
    st.divider()
    with st.expander(ui.t("con.delete_workshop")):
        confirm = st.checkbox(ui.t("con.delete_confirm"), key="del_ws_confirm")
        if st.button(ui.t("con.delete_workshop"), disabled=not confirm, key="del_ws"):
            room.delete_workshop(WID)
            st.session_state.pop("console_auth", None)
            st.success(ui.t("con.deleted"))
            st.stop()


def rehearsal_and_template() -> None:
    left, right = st.columns(2)
    with left:
        st.subheader(ui.t("con.rehearsal"), anchor=False)
        st.caption(ui.t("con.rehearsal_help"))
        simulated = int(room.participants_frame(WID)["rehearsal"].sum())
        cols = st.columns([2, 2], vertical_alignment="bottom")
        cols[0].number_input(ui.t("con.rehearsal_size"), 1, room.REHEARSAL_MAX, 25, key="reh_size")
        cols[1].button(ui.t("con.rehearsal_fill"), key="reh_fill", on_click=_rehearse)
        if simulated:
            st.button(
                ui.t("con.rehearsal_remove", n=ui.number(simulated)),
                key="reh_remove",
                type="primary",
                on_click=act(room.remove_rehearsal, success=ui.t("con.rehearsal_removed", n=ui.number(simulated))),
            )
    with right:
        st.subheader(ui.t("con.template"), anchor=False)
        st.caption(ui.t("con.template_help"))
        st.download_button(
            ui.t("con.template_save"),
            data=lambda: room.template_json(WID),  # made when pressed, not at every run
            file_name=f"modele-{workshop.code}.json",
            mime="application/json",
            key="tpl_save",
            on_click="ignore",
        )
        st.button(ui.t("con.template_new"), key="tpl_new", on_click=ui.guarded(_new_from_template))
        made = st.session_state.get("tpl_made")
        if made:
            st.success(ui.t("con.template_created", code=made["code"]))
            ui.copyable(made["url"], label=ui.t("home.facilitator_link"))


def _rehearse() -> None:
    size = int(st.session_state.get("reh_size") or 25)
    act(room.rehearse, participants=size, success=ui.t("con.rehearsal_filled", n=ui.number(size)))()


def _new_from_template() -> None:
    made, url = room.new_from_template(workshop)
    st.session_state["tpl_made"] = {"code": made.code, "url": url}


def _save_settings() -> None:
    s = st.session_state
    ui.run(
        room.update_workshop,
        WID,
        title=s.get("set_title", ""),
        question=s.get("set_question", ""),
        language=s.get("set_lang", "fr"),
        retention_date=s.get("set_retention"),
        show_labels=bool(s.get("set_labels")),
        anonymous=bool(s.get("set_anon")),
        public_base_url=s.get("set_url", ""),
    )
    s["lang"] = s.get("set_lang", "fr")


# ---------------------------------------------------------------- export


def export_section() -> None:
    levels = list(EXPORT_LEVELS)
    level = st.radio(ui.t("con.export_level"), levels, format_func=lambda lv: ui.t(f"con.level.{lv}"), key="exp_level")
    if st.button(ui.t("con.prepare_export"), type="primary", key="exp_build"):
        with st.status(ui.t("con.prepare_export"), expanded=False) as status:
            data = room.bundle(WID, level=level, progress=lambda msg: status.update(label=msg), positions=ui.wall_positions(WID))
            status.update(label=ui.t("con.download"), state="complete")
        st.session_state["exp_data"] = (level, data)
    built = st.session_state.get("exp_data")
    if built and built[0] == level:
        st.download_button(
            ui.t("con.download"),
            data=built[1],
            file_name=f"atelier-{workshop.code}-{level}.zip",
            mime="application/zip",
            key="exp_download",
            type="primary",
            on_click="ignore",
        )
    st.divider()
    st.header(ui.t("con.import"), anchor=False)
    upload = st.file_uploader(ui.t("con.import"), type=["zip"], key="imp_file", label_visibility="collapsed")
    keep = st.checkbox(ui.t("con.keep_links"), key="imp_keep")
    if upload is not None and st.button(ui.t("con.import_button"), key="imp_btn"):
        try:
            new, new_url = room.import_bundle(upload.getvalue(), keep_links=keep, previous_id=WID)
        except WorkshopError as exc:
            ui.show_error(exc)
        else:
            st.success(ui.t("con.imported", code=new.code))
            ui.copyable(new_url, label=ui.t("home.facilitator_link"))
    comparison = room.compare_with_previous(WID)
    if comparison:
        st.header(ui.t("con.comparison"), anchor=False)
        cols = st.columns(3)
        cols[0].metric(ui.t("cmp.participants"), len(comparison["new_participants"]))
        cols[1].metric(ui.t("cmp.contacts"), comparison["new_contacts"])
        cols[2].metric(ui.t("cmp.bridges"), comparison["new_bridges"])
        rows = [
            {
                "": ui.t(f"net.by.{k}") if k in ("circle", "region", "sector") else ui.t(f"field.{k}"),
                "←": v["before"],
                "→": v["after"],
            }
            for k, v in comparison["reach"].items()
        ]
        rows += [
            {"": ui.t(f"net.{k}"), "←": f"{v['before']:.0%}", "→": f"{v['after']:.0%}"}
            for k, v in comparison["diversity"].items()
        ]
        ui.table(rows)


{
    "room": room_section,
    "moderation": moderation_section,
    "network": network_section,
    "themes": themes_section,
    "collectifs": collectifs_section,
    "settings": settings_section,
    "export": export_section,
}[section]()
