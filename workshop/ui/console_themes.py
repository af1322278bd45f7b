"""The console's themes and collectifs sections: grouping, the day's themes, renaming, merging,
moving ideas, and the collectifs."""

from __future__ import annotations

import streamlit as st

from workshop import ui
from workshop.errors import WorkshopError
from workshop.model import (
    Workshop,
)
from workshop.ui import facilitator as room
from workshop.ui.facilitator import act

# ---------------------------------------------------------------- themes


def themes_section(w: Workshop) -> None:
    c = st.columns([2, 2, 2, 3], vertical_alignment="bottom")
    n = c[0].number_input(ui.t("con.n_themes"), 0, 20, 0, key="n_themes")
    c[1].button(
        ui.t("con.cluster"),
        type="primary",
        key="cluster_btn",
        on_click=act(w, room.cluster_workshop, n_themes=n or None, fresh=True),
    )
    c[2].button(ui.t("con.recluster"), key="place_btn", on_click=act(w, room.place_new_ideas))
    with c[3].form("new_theme", border=False):
        st.text_input(ui.t("con.new_theme"), key="new_theme_label", max_chars=80)
        st.form_submit_button(
            ui.t("con.create"), on_click=lambda: act(w, room.create_theme, st.session_state.get("new_theme_label", ""))()
        )
    with st.form("day_themes", border=False):
        st.text_area(ui.t("con.day_themes"), key="day_themes_text", height=90, help=ui.t("con.day_themes_help"))
        st.form_submit_button(ui.t("con.day_themes_add"), on_click=_name_themes, args=(w,))
    st.checkbox(
        ui.t("con.wall_sure_only"),
        value=bool(w.settings.get("wall_sure_only")),
        key="wall_sure_only",
        on_change=lambda: act(w, room.update_view_settings, wall_sure_only=bool(st.session_state.get("wall_sure_only")))(),
    )
    now = room.lists(w.id, w.version)
    frame, ideas, room_contacts, people = now.themes, now.visible_ideas, now.contacts, now.active_participants
    pnames = dict(zip(people["id"], people["display_name"], strict=True))
    dots = st.number_input(ui.t("field.vote_dots"), 1, 20, w.vote_dots, key="vote_dots")
    if dots != w.vote_dots:
        st.button(ui.t("me.save"), key="save_dots", on_click=act(w, room.update_workshop, vote_dots=int(dots)))
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
                on_click=lambda tid=tid: act(w, room.rename_theme, tid, st.session_state.get(f"rn_{tid}", ""))(),
            )
            others = [o for o in options if o != tid]
            cols[2].selectbox(ui.t("con.merge_into"), others, format_func=lambda o: options[o], key=f"mg_{tid}", index=None)
            cols[3].button(ui.t("con.merge"), key=f"mgb_{tid}", on_click=lambda tid=tid: _merge(w, tid))
            cols[4].button(ui.t("con.split"), key=f"sp_{tid}", on_click=act(w, room.split_theme, tid))
            cols[5].button(
                ui.t("con.make_collectif"),
                key=f"mk_{tid}",
                on_click=act(w, room.create_collectif, name=theme["label"], theme_id=tid),
            )
            mine = ideas[ideas["theme_id"] == tid] if not ideas.empty else ideas
            helped = room.theme_help(mine, room_contacts, pnames, lang=ui.lang())
            if helped:
                st.caption(ui.escape_md(helped))
            for idea in mine.to_dict("records"):
                move_row(w, idea, options)
            st.button(ui.t("con.delete"), key=f"delth_{tid}", on_click=act(w, room.delete_theme, tid))
    doubtful = ideas[ideas["doubtful"]] if not ideas.empty else ideas
    if not doubtful.empty:
        with st.expander(f"{ui.t('con.to_check')} — {len(doubtful)}", expanded=True):
            for idea in doubtful.to_dict("records"):
                move_row(w, idea, options, confirm=True)
    if not unsorted.empty:
        with st.expander(f"{ui.t('con.to_sort')} — {len(unsorted)}", expanded=True):
            for idea in unsorted.to_dict("records"):
                move_row(w, idea, options)


def _name_themes(w: Workshop) -> None:
    """The typed list becomes named themes; on a refusal the list stays in the box to correct."""
    try:
        made = room.name_themes(w.id, str(st.session_state.get("day_themes_text") or "").splitlines())
    except WorkshopError as exc:
        ui.flash(exc.message(ui.lang()), "error")
    else:
        ui.flash(ui.count(len(made), "con.one_theme_added", "con.n_themes_added"))
        st.session_state["day_themes_text"] = ""


def move_row(w: Workshop, idea: dict, options: dict, *, confirm: bool = False) -> None:
    cols = st.columns([5, 3, 1] if confirm else [5, 3], vertical_alignment="center")
    if confirm:
        cols[2].button(ui.t("con.confirm"), key=f"ok_{idea['id']}", on_click=act(w, room.confirm_placement, idea["id"]))
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
            w, room.move_idea, i, st.session_state.get(k) or None
        )(),
    )


def _merge(w: Workshop, theme_id: int) -> None:
    target = st.session_state.get(f"mg_{theme_id}")
    if target:
        act(w, room.merge_themes, int(target), [theme_id])()


# ---------------------------------------------------------------- collectifs


def collectifs_section(w: Workshop) -> None:
    groups = room.collectifs(w.id)
    with st.form("new_collectif", border=False):
        st.text_input(ui.t("field.collectif"), key="new_collectif", max_chars=80)
        st.form_submit_button(
            ui.t("con.make_collectif"),
            on_click=lambda: act(w, room.create_collectif, name=st.session_state.get("new_collectif", ""))(),
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
            st.button(ui.t("con.delete"), key=f"delcol_{group['id']}", on_click=act(w, room.delete_collectif, group["id"]))
