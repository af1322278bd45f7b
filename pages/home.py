"""Landing page: join with a code (pre-filled from the QR link) or create a workshop."""

import streamlit as st

from workshop import links, ui
from workshop.errors import WorkshopError
from workshop.model import LIMITS
from workshop.ui import doors

code = st.query_params.get("code", "")
workshop = None
if code:
    try:
        workshop = doors.room_by_code(code)
        ui.set_default_lang(workshop.language)
    except WorkshopError as exc:
        ui.show_error(exc)

ui.language_switch("home_lang")
ui.page_chrome()
st.title(ui.escape_md(workshop.title) if workshop else ui.t("app.title"), anchor=False)
if workshop and workshop.question:
    ui.plain(workshop.question)
elif not workshop:
    st.caption(ui.t("app.tagline"))
ui.show_flashes()

# The token is made before the write and kept in the session: a double click or a rerun
# joins once, with the same personal link.
st.session_state.setdefault("home_token", doors.new_token())


def _join() -> None:
    typed_code = workshop.code if workshop else st.session_state.get("home_code", "")
    participant = doors.join(typed_code, st.session_state.get("home_name", ""), token=st.session_state["home_token"])
    st.session_state["me_show_link"] = True
    st.session_state["joined_token"] = st.session_state.pop("home_token")
    st.session_state["joined_name"] = participant.display_name


with st.form("join_form", border=True):
    st.header(ui.t("home.join_title"), anchor=False)
    if not workshop:
        st.text_input(ui.t("field.code"), key="home_code", max_chars=12, placeholder="ABC234")
    st.text_input(ui.t("field.name"), key="home_name", max_chars=LIMITS["name"], autocomplete="nickname")
    st.form_submit_button(ui.t("home.join_button"), type="primary", on_click=ui.guarded(_join), use_container_width=True)

if "joined_token" in st.session_state:
    token = st.session_state.pop("joined_token")
    st.switch_page("pages/participate.py", query_params={"p": token})

# Joining with the QR: what is recorded and shown is on screen before the name is typed.
if ui.disclosure(ui.t("home.notice_title"), key="home_notice", expanded=bool(workshop)):
    date = ui.date_text(workshop.retention_date) if workshop else "…"
    st.markdown(ui.t("home.notice", date=date))

if workshop:
    st.stop()

# ---------------------------------------------------------------- facilitators

st.divider()
# Creating is the front door's plain form (/new): a flood of creations costs the room nothing.
st.subheader(ui.t("home.create_title"), anchor=False)
ui.link_button(ui.t("home.create_link"), links.creation_path(ui.lang()))

# The demo's console link carries its key: offered only to a browser on this machine.
if ui.client_is_local():
    demo = doors.local_demo()
    if demo:
        with st.container(border=True):
            st.markdown(f"**{ui.t('home.demo_title')}** — " + ui.escape_md(ui.t("home.demo_text", code=demo["code"])))
            cols = st.columns(3)
            cols[0].page_link("pages/home.py", label=ui.t("home.join_button"), query_params={"code": demo["code"]})
            cols[1].page_link(
                "pages/console.py", label=ui.t("home.open_console"), query_params={"w": demo["code"], "k": demo["token"]}
            )
            cols[2].page_link("pages/projector.py", label=ui.t("home.open_projector"), query_params={"w": demo["code"]})
