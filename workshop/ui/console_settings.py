"""The console's settings and export sections: the workshop's settings, rehearsal and template,
deletion; the export bundle, an import, and the comparison with the previous workshop."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from workshop import config, ui
from workshop.errors import WorkshopError
from workshop.model import (
    EXPORT_LEVELS,
    LANGUAGES,
    LIMITS,
    Workshop,
)
from workshop.ui import facilitator as room
from workshop.ui.facilitator import act

# ---------------------------------------------------------------- settings


def settings_section(w: Workshop) -> None:
    if w.retention_date < dt.date.today().isoformat():
        st.warning(ui.t("con.retention_passed", date=ui.date_text(w.retention_date)))
    with st.form("settings_form"):
        st.text_input(ui.t("field.title"), value=w.title, key="set_title", max_chars=LIMITS["title"])
        st.text_area(ui.t("field.question"), value=w.question, key="set_question", max_chars=LIMITS["question"])
        st.selectbox(
            ui.t("field.language"),
            list(LANGUAGES),
            index=LANGUAGES.index(w.language),
            format_func=ui.language_name,
            key="set_lang",
            placeholder=ui.t("field.choose"),
        )
        retention = dt.date.fromisoformat(w.retention_date)
        st.date_input(
            ui.t("field.retention"),
            value=retention,
            min_value=min(retention, dt.date.today()),
            key="set_retention",
            format="DD/MM/YYYY",
        )
        st.checkbox(ui.t("con.show_labels"), value=w.show_labels, key="set_labels")
        st.checkbox(ui.t("con.anonymous"), value=w.anonymous, key="set_anon")
        st.text_input(ui.t("field.base_url"), value=w.public_base_url, key="set_url", placeholder=config.public_base_url())
        st.form_submit_button(
            ui.t("me.save"), type="primary", on_click=ui.guarded(lambda: _save_settings(w), success=ui.t("con.settings_saved"))
        )
    st.divider()
    rehearsal_and_template(
        w,
    )
    st.divider()
    with st.expander(ui.t("con.delete_workshop")):
        confirm = st.checkbox(ui.t("con.delete_confirm"), key="del_ws_confirm")
        if st.button(ui.t("con.delete_workshop"), disabled=not confirm, key="del_ws"):
            room.delete_workshop(w.id)
            st.session_state.pop("console_auth", None)
            st.success(ui.t("con.deleted"))
            st.stop()


def rehearsal_and_template(w: Workshop) -> None:
    left, right = st.columns(2)
    with left:
        st.subheader(ui.t("con.rehearsal"), anchor=False)
        st.caption(ui.t("con.rehearsal_help"))
        simulated = int(room.lists(w.id, w.version).participants["rehearsal"].sum())
        cols = st.columns([2, 2], vertical_alignment="bottom")
        cols[0].number_input(ui.t("con.rehearsal_size"), 1, room.REHEARSAL_MAX, 25, key="reh_size")
        cols[1].button(ui.t("con.rehearsal_fill"), key="reh_fill", on_click=_rehearse, args=(w,))
        if simulated:
            st.button(
                ui.t("con.rehearsal_remove", n=ui.number(simulated)),
                key="reh_remove",
                type="primary",
                on_click=act(w, room.remove_rehearsal, success=ui.t("con.rehearsal_removed", n=ui.number(simulated))),
            )
    with right:
        st.subheader(ui.t("con.template"), anchor=False)
        st.caption(ui.t("con.template_help"))
        st.download_button(
            ui.t("con.template_save"),
            data=lambda: room.template_json(w.id),  # made when pressed, not at every run
            file_name=f"modele-{w.code}.json",
            mime="application/json",
            key="tpl_save",
            on_click="ignore",
        )
        st.button(ui.t("con.template_new"), key="tpl_new", on_click=ui.guarded(lambda: _new_from_template(w)))
        made = st.session_state.get("tpl_made")
        if made:
            st.success(ui.t("con.template_created", code=made["code"]))
            ui.copyable(made["url"], label=ui.t("home.facilitator_link"))


def _rehearse(w: Workshop) -> None:
    size = int(st.session_state.get("reh_size") or 25)
    act(w, room.rehearse, participants=size, success=ui.t("con.rehearsal_filled", n=ui.number(size)))()


def _new_from_template(w: Workshop) -> None:
    made, url = room.new_from_template(w)
    st.session_state["tpl_made"] = {"code": made.code, "url": url}


def _save_settings(w: Workshop) -> None:
    s = st.session_state
    ui.run(
        room.update_workshop,
        w.id,
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


def export_section(w: Workshop) -> None:
    levels = list(EXPORT_LEVELS)
    level = st.radio(ui.t("con.export_level"), levels, format_func=lambda lv: ui.t(f"con.level.{lv}"), key="exp_level")
    if st.button(ui.t("con.prepare_export"), type="primary", key="exp_build"):
        with st.status(ui.t("con.prepare_export"), expanded=False) as status:
            data = room.bundle(
                w.id, level=level, progress=lambda msg: status.update(label=msg), positions=ui.wall_positions(w.id)
            )
            status.update(label=ui.t("con.download"), state="complete")
        st.session_state["exp_data"] = (level, data)
    built = st.session_state.get("exp_data")
    if built and built[0] == level:
        st.download_button(
            ui.t("con.download"),
            data=built[1],
            file_name=f"atelier-{w.code}-{level}.zip",
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
            new, new_url = room.import_bundle(upload.getvalue(), keep_links=keep, previous_id=w.id)
        except WorkshopError as exc:
            ui.show_error(exc)
        else:
            st.success(ui.t("con.imported", code=new.code))
            ui.copyable(new_url, label=ui.t("home.facilitator_link"))
    comparison = room.compare_with_previous(w.id)
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
