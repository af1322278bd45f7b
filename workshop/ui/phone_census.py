"""The phone's "Qui se connaît ?" step: one of a participant's contacts at a time, the others
as chips; resumable, each answer confirmed by the next card read from the database."""

from __future__ import annotations

import streamlit as st

from workshop import ui
from workshop.errors import WorkshopError
from workshop.model import CENSUS_MIN_CONTACTS, Participant
from workshop.ui import phone


def census_step(me: Participant, n_contacts: int) -> None:
    """ "Qui se connaît ?": one contact at a time, the others as chips; resumes where it stopped."""
    if n_contacts < CENSUS_MIN_CONTACTS:
        st.caption(ui.t("census.offer", n=CENSUS_MIN_CONTACTS))
        return
    state = phone.census_of(me.id)
    st.header(ui.t("census.title"), anchor=False)
    if state.left_out:
        st.caption(ui.t("census.left_out", n=state.covered, more=state.left_out))
    card = state.card
    if card is None:
        st.caption(ui.t("census.done", ties=state.ties))
        return
    # Once begun, the next card is shown straight away (after a reload too) unless put off.
    opened = st.session_state.get("me_census_open", state.asked > 0)
    if not opened:
        st.caption(ui.t("census.intro"))
        st.button(
            ui.t("census.start", n=card.left),
            key="me_census_start",
            type="primary",
            on_click=lambda: st.session_state.update(me_census_open=True),
        )
        return
    sid = ui.submission_id("census")
    cid = card.contact["id"]
    shown = [c["id"] for c in card.choices]
    labels = {c["id"]: c["label"] for c in card.choices}
    with st.form(f"census_{cid}_{sid}", border=True):
        st.pills(
            f"**{ui.escape_md(ui.t('census.knows', label=card.contact['label']))}**",
            shown,
            selection_mode="multi",
            default=card.known,
            format_func=lambda i: labels.get(i, "?"),
            key=f"census_pick_{sid}",
        )
        st.caption(ui.t("census.none_hint"))
        with st.container(horizontal=True):
            st.form_submit_button(
                ui.t("census.next"), type="primary", on_click=_answer_card, args=(me, cid, card.contact["label"], shown, sid)
            )
            st.form_submit_button(ui.t("census.later"), on_click=lambda: st.session_state.update(me_census_open=False))
    st.caption(ui.t("census.progress", asked=state.asked, pairs=state.pairs, ties=state.ties, left=card.left))


def _answer_card(me: Participant, contact_id: int, label: str, shown: list[int], sid: str) -> None:
    """Form callback: the card's answer written, confirmed by the next card read from the database."""
    knows = st.session_state.get(f"census_pick_{sid}") or []
    try:
        phone.record_ties(me, contact_id, knows=knows, shown=shown, submission_id=sid)
    except WorkshopError as exc:
        ui.failed(exc)
        return
    ui.flash(ui.t("census.saved", label=label))
    ui.rotate_submission("census")
