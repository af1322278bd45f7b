"""Landing page: join with a code (pre-filled from the QR link) or create a workshop."""

import json

import streamlit as st

from workshop import config, engine, links, security, store, templates, ui
from workshop.errors import WorkshopError
from workshop.model import LANGUAGES, LIMITS

code = st.query_params.get("code", "")
workshop = None
with ui.get_db() as db:
    if code:
        try:
            workshop = store.workshop_by_code(db, code)
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
st.session_state.setdefault("home_token", security.new_token())


def _join() -> None:
    typed_code = workshop.code if workshop else st.session_state.get("home_code", "")
    ui.throttle(security.join_throttle)
    with ui.get_db() as db:
        participant = store.join(db, typed_code, st.session_state.get("home_name", ""), token=st.session_state["home_token"])
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


def _create() -> None:
    ui.check_creation_key(st.session_state.get("create_key", ""))
    ui.throttle(security.create_throttle)
    upload = st.session_state.get("create_template")
    with ui.get_db() as db:
        if upload is not None:  # the template's preparation; a typed title replaces its title
            template = templates.from_json(upload.getvalue())
            created, token = templates.start(db, template, title=st.session_state.get("create_title", "").strip())
        else:
            created, token = store.create_workshop(
                db,
                title=st.session_state.get("create_title", ""),
                language=st.session_state.get("create_lang", "fr"),
                question=st.session_state.get("create_question", ""),
                retention_days=int(st.session_state.get("create_days", config.DEFAULT_RETENTION_DAYS)),
            )
    st.session_state["created"] = {"code": created.code, "token": token, "id": created.id}


st.divider()
if ui.disclosure(ui.t("home.create_title"), key="home_create", expanded="created" in st.session_state):
    created = st.session_state.get("created")
    if created:
        with ui.get_db() as db:
            made = store.get_workshop(db, created["id"])
        st.success(ui.t("home.created"))
        ui.copyable(links.facilitator_url(made, created["token"]), label=ui.t("home.facilitator_link"))
        st.page_link(
            "pages/console.py",
            label=ui.t("home.open_console"),
            query_params={"w": made.code, "k": created["token"]},
        )
    else:
        with st.form("create_form"):
            st.text_input(ui.t("field.title"), key="create_title", max_chars=120)
            st.selectbox(
                ui.t("field.language"),
                list(LANGUAGES),
                format_func=ui.language_name,
                key="create_lang",
            )
            st.text_area(ui.t("field.question"), value=ui.t("home.default_question"), key="create_question", max_chars=300)
            st.number_input(ui.t("field.retention_days"), 1, 3650, config.DEFAULT_RETENTION_DAYS, key="create_days")
            st.file_uploader(ui.t("home.template"), type=["json"], key="create_template", max_upload_size=1)
            if config.creation_key():
                st.text_input(ui.t("field.creation_key"), key="create_key", type="password")
            st.form_submit_button(ui.t("home.create_button"), type="primary", on_click=ui.guarded(_create))

demo_file = config.data_dir() / "demo.json"
# The demo's console link carries its key: offered only to a browser on this machine.
if demo_file.exists() and ui.client_is_local():
    try:
        demo = json.loads(demo_file.read_text(encoding="utf-8"))
    except ValueError:
        demo = None
    if demo and demo.get("db") == engine.redact(config.database()):
        with st.container(border=True):
            st.markdown(f"**{ui.t('home.demo_title')}** — " + ui.escape_md(ui.t("home.demo_text", code=demo["code"])))
            cols = st.columns(3)
            cols[0].page_link("pages/home.py", label=ui.t("home.join_button"), query_params={"code": demo["code"]})
            cols[1].page_link(
                "pages/console.py", label=ui.t("home.open_console"), query_params={"w": demo["code"], "k": demo["token"]}
            )
            cols[2].page_link("pages/projector.py", label=ui.t("home.open_projector"), query_params={"w": demo["code"]})
