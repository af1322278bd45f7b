"""The console's room and moderation sections: rounds and timers, joining, the wall's view,
the links and the printed kit; ideas and participants to hide or suspend."""

from __future__ import annotations

import streamlit as st

from workshop import links, ui
from workshop.model import (
    JOIN_LIMITS,
    PROJECTOR_VIEWS,
    ROUNDS,
    Workshop,
)
from workshop.ui import facilitator as room
from workshop.ui.facilitator import act

# ---------------------------------------------------------------- room


def open_round(w: Workshop, name: str) -> None:
    """Open a round with the timer as typed now (read at click time, not at drawing time)."""
    minutes = st.session_state.get(f"timer_{name}") or None
    act(w, room.set_round, name, is_open=True, minutes=minutes)()


def join_panel(w: Workshop) -> None:
    """Who is arriving (joins per minute), the room's join limits, and a flood undone in one action."""
    limits = room.join_limits(w.settings)
    per_minute = room.joins_per_minute(w.id)
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
            on_change=lambda k=key: act(w, room.update_view_settings, **{k: int(st.session_state[f"lim_{k}"])})(),
        )
    cols = st.columns([2, 3], vertical_alignment="bottom")
    cols[0].number_input(ui.t("con.flood_minutes"), 1, 120, 5, key="flood_minutes")
    confirmed = cols[1].checkbox(
        ui.t("con.flood_confirm", n=ui.number(sum(per_minute[-int(st.session_state.get("flood_minutes", 5)) :]))),
        key="flood_confirm",
    )
    st.button(ui.t("con.flood_remove"), key="flood_remove", disabled=not confirmed, on_click=_remove_flood, args=(w,))


def _remove_flood(w: Workshop) -> None:
    minutes = int(st.session_state.get("flood_minutes", 5))
    gone = room.remove_joined_in_last(w.id, minutes=minutes)
    st.session_state["flood_confirm"] = False
    ui.flash(ui.t("con.flood_removed", n=gone))


def room_section(w: Workshop) -> None:
    left, right = st.columns([3, 2])
    with left:
        st.header(ui.t("con.rounds"), anchor=False)
        rounds = room.rounds(w.id)
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
                cols[2].button(ui.t("con.close"), key=f"close_{name}", on_click=act(w, room.set_round, name, is_open=False))
            else:
                cols[2].button(
                    ui.t("con.open"),
                    key=f"open_{name}",
                    type="primary",
                    on_click=open_round,
                    args=(w, name),
                )
        st.divider()
        if w.join_locked:
            st.warning(ui.t("con.locked"))
            st.button(ui.t("con.unlock"), key="unlock", on_click=act(w, room.update_workshop, join_locked=False))
        else:
            st.caption(ui.t("con.unlocked"))
            st.button(ui.t("con.lock"), key="lock", on_click=act(w, room.update_workshop, join_locked=True))
        join_panel(
            w,
        )
        views = list(PROJECTOR_VIEWS)
        st.segmented_control(
            ui.t("con.projector_view"),
            views,
            default=w.projector_view,
            format_func=lambda v: ui.t(f"view.{v}"),
            key="con_view",
            required=True,
            on_change=lambda: act(w, room.update_workshop, projector_view=st.session_state["con_view"] or w.projector_view)(),
        )
    with right:
        st.header(ui.t("con.links"), anchor=False)
        if room.is_loopback(room.join_url(w)):
            st.warning(ui.t("con.qr_loopback"))
        ui.qr_image(room.join_url(w), w.code, width=220)
        ui.copyable(room.join_url(w), label=ui.t("home.join_link"))
        choices = ui.address_choices(w)
        if choices:
            st.selectbox(
                ui.t("con.address_pick"),
                list(choices),
                format_func=choices.get,
                key="con_address",
                placeholder=ui.t("field.choose"),
                help=ui.t("con.address_help"),
                on_change=lambda: act(w, room.update_workshop, public_base_url=st.session_state["con_address"])(),
            )
        st.caption(ui.t("kit.title"))
        kit_cols = st.columns(2)
        kit_cols[0].download_button(
            ui.t("kit.poster"),
            data=lambda: room.poster(w),
            file_name=f"affiche-{w.code}.pdf",
            mime="application/pdf",
            key="kit_poster",
            on_click="ignore",
        )
        kit_cols[1].download_button(
            ui.t("kit.cards"),
            data=lambda: room.table_cards(w),
            file_name=f"chevalets-{w.code}.pdf",
            mime="application/pdf",
            key="kit_cards",
            on_click="ignore",
        )
        # A new tab (a link button's target): the console stays where it is, Ctrl+click or not.
        st.link_button(ui.t("home.open_projector"), links.projector_path(w), icon=":material/open_in_new:")
        ui.copyable(room.projector_url(w), label=ui.t("home.open_projector"))  # copied as is: never altered


# ---------------------------------------------------------------- moderation


def moderation_section(w: Workshop) -> None:
    now = room.lists(w.id, w.version)
    ideas, people = now.ideas, now.participants
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
                    on_click=act(w, room.set_idea_hidden, idea["id"], hidden=not idea["hidden"]),
                )
                cols[2].button(ui.t("con.delete"), key=f"delidea_{idea['id']}", on_click=act(w, room.delete_idea, idea["id"]))
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
                on_click=act(w, room.set_blocked, p["id"], blocked=not p["blocked"]),
            )
