"""A participant's own page (personal link ?p=TOKEN): network, ideas, vote, collectifs, my place.

The page refreshes on the participant's own actions. An idle phone costs the server no script
run: its boot script polls the room's marker over plain HTTP every few seconds (served by the
front door, workshop/web.py) and presses the hidden follow button only when the facilitator
opened another round (or, in the collectifs round, when the room changed).
"""

import streamlit as st

from workshop import links, ui
from workshop.errors import StorageError, WorkshopError
from workshop.model import CIRCLES, LIMITS, ROUNDS, SECTORS, Mine, Round
from workshop.ui import phone
from workshop.ui import phone_census as census
from workshop.ui import phone_forms as forms

token = st.query_params.get("p", "")
known = st.session_state.get("me_known")
try:
    try:
        workshop, me, current, marker = phone.arrive(token)
    except StorageError:
        raise
    except WorkshopError as exc:
        ui.show_error(exc)
        if exc.key == "err.blocked":  # suspended, but their data stays theirs to erase
            ui.delete_my_data(phone.suspended(token))
        else:
            ui.link_button(ui.t("home.join_title"), links.home_path(ui.lang()))  # the plain home page
        st.stop()
    ui.set_default_lang(workshop.language)
    if ui.take_arrival():  # just joined: the personal link is shown until noted
        st.session_state["me_show_link"] = True
    st.session_state["me_known"] = (token, workshop, me, current, marker)
except StorageError as exc:
    # The database is briefly unreachable (a restart): the page stays drawn on what this tab last
    # read, so what the person typed stays in its form, and the message says to press again.
    if not known or known[0] != token:
        ui.show_error(exc)
        st.stop()
    ui.flash_once(exc)  # shown with the section's messages, once
    _, workshop, me, current, marker = known


suggestions = ui.skill_suggestions(ui.database(), workshop.id)


# Every element costs the server a wake-up on each of 200 phones' reruns: the header is one
# element. The language switch has a row of its own whose height is known before Streamlit
# draws it (a switch beside the greeting wrapped under it a moment later: the form jumped).
ui.language_switch("me_lang")
ui.greeting(ui.t("me.hello", name=me.display_name), workshop.title, watch=(workshop.code, marker))
ui.follow_button()

# Follow the facilitator: when the current round changes, show it.
sections = [*ROUNDS, "place"]
now_round = current.name if current else "contacts"
if st.session_state.get("me_seen_round") != now_round:
    st.session_state["me_seen_round"] = now_round
    st.session_state["me_section"] = now_round
st.session_state.setdefault("me_section", now_round)
section = st.segmented_control(
    ui.t("me.sections"),
    sections,
    format_func=lambda s: ui.t("me.my_place_short") if s == "place" else ui.t(f"round.{s}"),
    key="me_section",
    required=True,  # a second click on the open step keeps it open
    label_visibility="collapsed",
    width="stretch",
)
section = section or now_round


# ---------------------------------------------------------------- lists


# ---------------------------------------------------------------- contacts


def link_box() -> None:
    """ "Keep this link", from joining until the first entry or "C'est noté" (the link stays under
    "Ma place")."""
    if not st.session_state.get("me_show_link"):
        return
    with st.container(border=True):
        st.info(ui.t("me.keep_link"))
        ui.copyable(phone.participant_url(workshop, token), label=ui.t("me.link_copy_hint"))
        st.button(ui.t("me.keep_link_done"), key="me_link_done", on_click=forms.hide_link_box)


def add_contact(sid: str) -> None:
    """Form callback: write, confirm from the database, then rotate the form (clears it)."""
    prefix = f"nc_{sid}"
    try:
        cid = phone.add_contact(me, submission_id=sid, **forms.contact_fields_from_state(prefix))
        saved = phone.contact(me, cid)
    except WorkshopError as exc:
        ui.failed(exc, str(st.session_state.get(f"{prefix}_label") or ""))
        return
    ui.flash(ui.t("me.added", label=saved["label"]))
    ui.rotate_submission("contact")
    forms.hide_link_box()
    st.session_state["me_focus"] = True


def contacts_section(mine: Mine) -> None:
    writable = forms.round_banner("contacts", mine)
    if writable:
        sid = ui.submission_id("contact")
        prefix = f"nc_{sid}"
        # The form's key changes after each confirmed write: fresh empty widgets, and a
        # late double click refers to the old form, whose submission id is already stored.
        # Details are drawn only when asked for: a dozen widgets less on every rerun of 200 phones.
        details = st.toggle(ui.t("me.more_details"), key="me_details")
        with st.form(f"contact_form_{sid}", border=True, enter_to_submit=True):
            st.markdown(f"**{ui.t('me.add_contact')}**")
            st.text_input(ui.t("field.label"), max_chars=LIMITS["label"], key=f"{prefix}_label", placeholder="M. D.")
            st.pills(ui.t("field.circle"), CIRCLES, format_func=forms.circle_name, key=f"{prefix}_circle")
            if details:
                forms.contact_detail_fields(prefix)
            st.form_submit_button(
                ui.t("me.add_button"), type="primary", on_click=add_contact, args=(sid,), use_container_width=True
            )
        if st.session_state.pop("me_focus", False):
            ui.focus_first_input()

    circles = {c["circle"] for c in mine.contacts}
    dormant = sum(1 for c in mine.contacts if c["dormant"])
    count = ui.t(
        "me.count",
        contacts=ui.count(len(mine.contacts), "me.one_contact", "me.n_contacts"),
        circles=ui.count(len(circles), "me.one_circle", "me.n_circles"),
        dormant=ui.count(dormant, "me.one_dormant", "me.n_dormant"),
    )
    st.header(ui.t("me.my_contacts"), anchor=False)
    st.caption(count)
    if not mine.contacts:
        st.caption(ui.t("me.no_contacts"))
    forms.manage_list(
        "contact", mine.contacts, forms.contact_line, forms.contact_option, _delete_contact, writable, ui.t("me.deleted")
    )
    if writable:
        census.census_step(me, len(mine.contacts))


def _delete_contact(contact_id: int) -> None:
    phone.delete_contact(me, contact_id)


@st.dialog(ui.t("me.edit_contact"), width="medium", on_dismiss=forms.stop_editing)
def edit_contact_dialog(c: dict, n_contacts: int) -> None:
    forms.close_if_saved()
    prefix = f"ec_{c['id']}"
    with st.form(f"edit_contact_{c['id']}", border=False):
        st.text_input(ui.t("field.label"), value=c["label"], max_chars=LIMITS["label"], key=f"{prefix}_label")
        st.pills(ui.t("field.circle"), CIRCLES, default=c["circle"], format_func=forms.circle_name, key=f"{prefix}_circle")
        forms.contact_detail_fields(prefix, c)
        others, known = phone.contact_partners(me.id, c["id"])
        labels = {o["id"]: o["label"] for o in others}
        if others:
            st.pills(
                ui.t("census.edit_label"),
                list(labels),
                selection_mode="multi",
                default=known,
                format_func=lambda i: labels.get(i, "?"),
                key=f"{prefix}_knows",
            )
        elif n_contacts > LIMITS["census_contacts"]:
            st.caption(ui.t("census.edit_outside", n=LIMITS["census_contacts"]))
        st.form_submit_button(
            ui.t("me.save"),
            type="primary",
            on_click=ui.guarded(lambda: _update_contact(c["id"], prefix, list(labels)), success=ui.t("me.saved")),
        )


def _update_contact(contact_id: int, prefix: str, partners: list[int]) -> None:
    # The ties shown in the dialog, as ticked now.
    knows = st.session_state.get(f"{prefix}_knows") or []
    ties = (knows, partners, f"edit-{ui.submission_id('census')}") if partners else None
    phone.update_contact(me, contact_id, forms.contact_fields_from_state(prefix), ties=ties)
    if partners:
        ui.rotate_submission("census")
    st.session_state.pop("me_editing", None)


def skills_form() -> None:
    if suggestions:
        st.caption(ui.t("me.skills_hint", examples=", ".join(suggestions[:12])))
    with st.form("skills_form", border=False):
        st.text_input(ui.t("field.skills_offered"), value=", ".join(me.skills_offered), max_chars=500, key="me_offered")
        st.text_input(ui.t("field.skills_sought"), value=", ".join(me.skills_sought), max_chars=500, key="me_sought")
        st.checkbox(ui.t("field.show_name"), value=me.show_name, key="me_show_name")
        st.form_submit_button(ui.t("me.save"), on_click=ui.guarded(_save_skills, success=ui.t("me.saved")))


def _save_skills() -> None:
    phone.set_own_skills(
        me,
        offered=st.session_state.get("me_offered", ""),
        sought=st.session_state.get("me_sought", ""),
        show_name=bool(st.session_state.get("me_show_name")),
    )


# ---------------------------------------------------------------- ideas


def tag_options() -> list[str]:
    return [forms.circle_name(c) for c in CIRCLES] + list(SECTORS) + suggestions


def add_idea(sid: str) -> None:
    prefix = f"ni_{sid}"
    typed = str(st.session_state.get(f"{prefix}_text") or "")
    if len(typed) > LIMITS["idea"]:
        # A long paste is cut to the limit and kept in the box for a re-read, never emptied.
        st.session_state[f"{prefix}_text"] = typed[: LIMITS["idea"]]
        ui.flash(ui.t("me.cut", max=LIMITS["idea"], length=len(typed)), "warning")
        return
    try:
        phone.post_idea(
            me,
            submission_id=sid,
            text=st.session_state.get(f"{prefix}_text", ""),
            tags=st.session_state.get(f"{prefix}_tags") or [],
            theme_id=st.session_state.get(f"{prefix}_theme"),
        )
    except WorkshopError as exc:
        ui.failed(exc, str(st.session_state.get(f"{prefix}_text") or ""))
        return
    ui.flash(ui.t("me.posted"))
    ui.rotate_submission("idea")
    forms.hide_link_box()
    st.session_state["me_focus"] = True


def ideas_section(mine: Mine) -> None:
    if workshop.question:
        with st.container(border=True):
            st.markdown(f"**{ui.escape_md(workshop.question)}**")
    writable = forms.round_banner("ideas", mine)
    if writable:
        sid = ui.submission_id("idea")
        prefix = f"ni_{sid}"
        with st.form(f"idea_form_{sid}", border=True):
            st.text_area(
                ui.t("me.post_idea"),
                key=f"{prefix}_text",
                height=100,
                placeholder=ui.t("me.idea_hint", max=LIMITS["idea"]),
            )
            st.multiselect(
                ui.t("field.tags"),
                tag_options(),
                key=f"{prefix}_tags",
                accept_new_options=True,
                max_selections=6,
                placeholder=ui.t("me.choose"),
            )
            named = ui.named_themes(ui.database(), workshop.id)
            if named:  # the facilitator's themes, one tap, never required
                st.pills(ui.t("me.theme_choice"), list(named), format_func=named.get, key=f"{prefix}_theme")
            st.form_submit_button(
                ui.t("me.post_button"), type="primary", on_click=add_idea, args=(sid,), use_container_width=True
            )
        if st.session_state.pop("me_focus", False):
            ui.focus_first_input("textarea")
    st.header(ui.t("me.my_ideas"), anchor=False)
    if not mine.ideas:
        st.caption(ui.t("me.no_ideas"))
    forms.manage_list("idea", mine.ideas, forms.idea_line, lambda i: i["text"][:60], _withdraw, writable, ui.t("me.withdrawn"))


@st.dialog(ui.t("me.edit_idea"), width="medium", on_dismiss=forms.stop_editing)
def edit_idea_dialog(idea: dict) -> None:
    forms.close_if_saved()
    with st.form(f"edit_idea_{idea['id']}", border=False):
        st.text_area(ui.t("field.idea"), value=idea["text"], max_chars=LIMITS["idea"], key=f"ei_{idea['id']}")
        st.form_submit_button(
            ui.t("me.save"),
            type="primary",
            on_click=ui.guarded(lambda: _update_idea(idea["id"], idea["tags"]), success=ui.t("me.saved")),
        )


def _update_idea(idea_id: int, tags: list[str]) -> None:
    phone.update_idea(me, idea_id, text=st.session_state.get(f"ei_{idea_id}", ""), tags=tags)
    st.session_state.pop("me_editing", None)


def _withdraw(idea_id: int) -> None:
    phone.withdraw_idea(me, idea_id)


# ---------------------------------------------------------------- vote


def vote_section(mine: Mine) -> None:
    writable = forms.round_banner("vote", mine)
    version = phone.version(workshop.id)
    my_dots = phone.votes_of(me.id)
    cards = ui.theme_cards(ui.database(), workshop.id, version)
    if not cards:
        st.info(ui.t("me.no_themes"))
        return
    st.markdown(ui.t("me.vote_intro", dots=workshop.vote_dots))
    # No form: the dots left follow each tap on + and − (a form would wait for its button).
    placed = 0
    for theme in cards:
        key = f"vote_{theme['id']}"
        st.session_state.setdefault(key, my_dots.get(theme["id"], 0))
        st.number_input(ui.escape_md(theme["label"]), 0, workshop.vote_dots, step=1, key=key, disabled=not writable)
        placed += int(st.session_state.get(key) or 0)
        # What the theme holds, in the room's own words: people choose ideas, not keywords.
        if theme["representative"]:
            ui.plain("\n".join(ui.quote(text) for text in theme["representative"][:3]), caption=True)
    left = workshop.vote_dots - placed
    if left >= 0:
        st.markdown(f"**{ui.t('me.vote_left', left=left)}**")
    else:
        st.warning(ui.t("me.vote_over", over=-left))
    st.button(
        ui.t("me.vote_button"),
        type="primary",
        disabled=not writable or left < 0,
        use_container_width=True,
        key="vote_btn",
        on_click=ui.guarded(lambda: _vote([int(t["id"]) for t in cards]), success=ui.t("me.voted")),
    )


def _vote(theme_ids: list[int]) -> None:
    allocation = {tid: int(st.session_state.get(f"vote_{tid}") or 0) for tid in theme_ids}
    phone.cast_votes(me, allocation)


# ---------------------------------------------------------------- collectifs


def collectifs_section(mine: Mine) -> None:
    writable = forms.round_banner("collectifs", mine)
    groups = phone.collectifs(workshop.id)
    if not groups:
        st.info(ui.t("me.no_collectifs"))
        return
    labels = {c["id"]: f"{c['label']} ({forms.circle_name(c['circle'])})" for c in mine.contacts}
    for group in groups:
        member = any(m["id"] == me.id for m in group["members"])
        with st.container(border=True):
            st.header(ui.escape_md(group["name"]), anchor=False)
            st.caption(ui.escape_md(ui.t("me.members_list", names=", ".join(m["display_name"] for m in group["members"]))))
            for step in group["next_steps"]:
                ui.plain(f"→ {ui.step_text(step)}")
            if not writable:
                continue
            cid = group["id"]
            if member:
                st.success(ui.t("me.member"))
                mobilised = [c["id"] for c in group["contacts"] if c["participant_id"] == me.id]
                # Keyed by language too: the labels change with it, and Streamlit keeps a
                # multiselect's choice by label (a switch to English turned ids into labels).
                st.multiselect(
                    ui.t("me.mobilise"),
                    list(labels),
                    default=mobilised,
                    format_func=lambda i: labels[i],
                    placeholder=ui.t("me.choose"),
                    key=f"mob_{cid}_{ui.lang()}",
                    on_change=ui.guarded(lambda cid=cid: _mobilise(cid), success=ui.t("me.saved")),
                )
                sid = ui.submission_id(f"step_{cid}")
                with st.form(f"step_form_{cid}_{sid}"):
                    st.text_input(ui.t("me.propose_step"), max_chars=LIMITS["next_step"], key=f"step_{sid}_text")
                    c1, c2 = st.columns(2)
                    c1.date_input(ui.t("field.due_date"), value=None, key=f"step_{sid}_date", format="DD/MM/YYYY")
                    c2.text_input(ui.t("field.owner"), value=me.display_name, max_chars=LIMITS["name"], key=f"step_{sid}_owner")
                    st.form_submit_button(ui.t("me.save"), on_click=_add_step, args=(cid, sid))
                st.button(
                    ui.t("me.leave_collectif"),
                    key=f"leave_{cid}",
                    on_click=ui.guarded(lambda cid=cid: _membership(cid, False)),
                )
            else:
                st.button(
                    ui.t("me.join_collectif"),
                    key=f"join_{cid}",
                    type="primary",
                    on_click=ui.guarded(lambda cid=cid: _membership(cid, True)),
                )


def _membership(collectif_id: int, member: bool) -> None:
    phone.set_membership(me, collectif_id, member=member)


def _mobilise(collectif_id: int) -> None:
    phone.set_mobilised_contacts(me, collectif_id, st.session_state.get(f"mob_{collectif_id}_{ui.lang()}") or [])


def _add_step(collectif_id: int, sid: str) -> None:
    try:
        phone.add_next_step(
            me,
            collectif_id,
            submission_id=sid,
            text=st.session_state.get(f"step_{sid}_text", ""),
            due_date=st.session_state.get(f"step_{sid}_date"),
            owner=st.session_state.get(f"step_{sid}_owner", ""),
        )
    except WorkshopError as exc:
        ui.failed(exc, str(st.session_state.get(f"step_{sid}_text") or ""))
        return
    ui.flash(ui.t("me.step_added"))
    ui.rotate_submission(f"step_{collectif_id}")


# ---------------------------------------------------------------- my place


def place_section(mine: Mine) -> None:
    del mine  # the same signature as every section: this one reads the room itself
    st.header(ui.t("me.my_skills"), anchor=False)
    skills_form()
    if ui.disclosure(ui.t("me.my_link"), key="me_link_open"):
        ui.copyable(phone.participant_url(workshop, token), label=ui.t("me.link_copy_hint"))
    if not st.button(ui.t("me.show_place"), type="primary", key="me_place_btn") and not st.session_state.get("me_place"):
        return
    st.session_state["me_place"] = True
    place = phone.my_place(workshop.id, me.id)
    forms.holes_summary(place["holes"], place["median"])
    st.header(ui.t("me.shared_contacts"), anchor=False)
    if not place["shared"]:
        st.caption(ui.t("me.no_shared"))
    for item in place["shared"]:
        who = item["known_by"] + ([ui.count(item["unnamed"], "place.one_other", "place.n_others")] if item["unnamed"] else [])
        ui.plain(f"{item['label']} — {ui.t('con.known_by')} {', '.join(who)}")
    st.header(ui.t("me.same_circles"), anchor=False)
    for item in place["neighbours"]:
        shared = [forms.circle_name(c) for c in item["circles"]] + item["regions"]
        ui.plain(f"{item['name'] or ui.t('place.someone')} — {', '.join(shared)}")


def open_editor(mine: Mine) -> None:
    """The edit dialog of the picked contact or idea, looked up among this participant's own rows."""
    editing = st.session_state.get("me_editing")
    if not editing:
        return
    kind, item_id = editing
    found = next((x for x in (mine.contacts if kind == "contact" else mine.ideas) if x["id"] == item_id), None)
    if found is None:
        st.session_state.pop("me_editing", None)
    elif kind == "contact":
        edit_contact_dialog(found, len(mine.contacts))
    else:
        edit_idea_dialog(found)


SECTION_VIEWS = {
    "contacts": contacts_section,
    "ideas": ideas_section,
    "vote": vote_section,
    "collectifs": collectifs_section,
    "place": place_section,
}


@st.fragment
def section_view(name: str) -> None:
    """The chosen section. A submit, a delete or a vote in it reruns only this function (not the
    router, the header and the section bar): measured, a third fewer messages per phone rerun."""
    try:
        mine = phone.mine(workshop.id, me.id)
        st.session_state["me_last_read"] = mine
    except StorageError as exc:
        ui.flash_once(exc)  # unreachable for a moment: the section stays on what it last read
        seen = st.session_state.get("me_seen_round")
        mine = st.session_state.get("me_last_read") or Mine({n: Round(n, n == seen, None, None) for n in ROUNDS}, [], [])
    latest = phone.latest_open(mine.rounds)
    moved_on = (latest.name if latest else "contacts") != st.session_state.get("me_seen_round")
    if moved_on:
        st.rerun()  # the facilitator opened another round: the whole page follows
    link_box()
    ui.show_flashes()
    open_editor(mine)
    # A round without a section of its own is display-only (a pause, a talk): its text, when open.
    SECTION_VIEWS.get(name, lambda mine: forms.display_round(name, mine))(mine)
    if name == "place":
        st.divider()
        ui.delete_my_data(me)


section_view(section)
