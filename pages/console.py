"""The facilitator's console (?w=CODE&k=TOKEN): rounds, timers, moderation, network, themes,
collectifs, settings, export. Every action names this workshop's id server-side."""

import streamlit as st

from workshop import config, links, ui
from workshop.ui import console_network, console_room, console_settings, console_themes
from workshop.ui import facilitator as room

code = st.query_params.get("w", "")
workshop = ui.facilitator_gate(code, st.query_params.get("k", ""))
WID = workshop.id
just_created = ui.take_arrival(flag="created")  # from the creation page (/new)
ui.set_default_lang(workshop.language)


head = st.columns([6, 2], vertical_alignment="center")
head[0].title(ui.t("con.title"), anchor=False)
head[0].caption(ui.escape_md(f"{workshop.title} · {ui.t('proj.code')} {workshop.code}"))
with head[1]:
    ui.language_switch("con_lang")
    ui.page_chrome()
ui.show_flashes()
if just_created:
    st.success(ui.t("home.created"))
    ui.copyable(links.facilitator_url(workshop, st.query_params.get("k", "")), label=ui.t("home.facilitator_link"))

SECTIONS = ["room", "moderation", "network", "themes", "collectifs", "settings", "export"]
section = (
    st.segmented_control(
        ui.t("con.section"),
        SECTIONS,
        format_func=lambda s: ui.t(f"con.{s}"),
        key="con_section",
        default="room",
        required=True,  # a second click on the open section keeps it open
        label_visibility="collapsed",
    )
    or "room"
)


@st.fragment(run_every=config.REFRESH_SECONDS)
def live_counters() -> None:
    version, _, current = room.pulse(WID)
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


{
    "room": console_room.room_section,
    "moderation": console_room.moderation_section,
    "network": console_network.network_section,
    "themes": console_themes.themes_section,
    "collectifs": console_themes.collectifs_section,
    "settings": console_settings.settings_section,
    "export": console_settings.export_section,
}[section](workshop)
