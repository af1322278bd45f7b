"""Who may do what: rate limits per client, the host's creation key, the facilitator's link, and
a participant's own deletion."""

from __future__ import annotations

import hashlib

import streamlit as st

from workshop import security, store
from workshop.errors import NotFound, SlowDown, WorkshopError
from workshop.ui.messages import disclosure, show_error
from workshop.ui.session import LOCAL_CLIENTS, client_key, get_db, lang, t


def room_by_code(code: str):
    """The workshop a code names (its `version` is the data version the page draws). Unknown
    codes are counted per client address: past security.code_probe_throttle the page says to
    wait (SlowDown) before reading the database again."""
    client = client_key()
    probing = client not in LOCAL_CLIENTS  # the facilitator's own browser on this laptop is not counted
    wait = security.code_probe_throttle.waiting(client) if probing else 0
    if wait > 0:
        raise SlowDown("err.too_many_codes", seconds=int(wait) + 1)
    try:
        with get_db() as db:
            return store.workshop_by_code(db, code)
    except NotFound:
        if probing:
            security.code_probe_throttle.allow(client)
        raise


def throttle(limiter: security.Throttle) -> None:
    """Count one action of this client; raise SlowDown when it comes too often."""
    wait = limiter.allow(client_key())
    if wait > 0:
        raise SlowDown("err.too_fast", seconds=int(wait) + 1)


def facilitator_gate(code: str, token: str):
    """The console's workshop for a facilitator link, or an error and st.stop(). The session
    remembers a success, so later reruns do not check the key again."""
    proof = hashlib.sha256(f"{code}:{token}".encode()).hexdigest()
    try:
        with get_db() as db:
            if st.session_state.get("console_auth") == proof:
                return store.workshop_by_code(db, code)
            workshop = store.authenticate_facilitator(db, code, token, client=client_key(), limiter=security.facilitator_limiter)
    except WorkshopError as exc:
        st.session_state.pop("console_auth", None)
        st.error(exc.message(lang()) if isinstance(exc, SlowDown) else t("con.denied"))
        st.stop()
    st.session_state["console_auth"] = proof
    return workshop


def delete_my_data(participant) -> None:
    """ "Effacer mes données" behind a confirmation (under *Ma place*, or alone for a suspended
    participant): everything they wrote goes, and their link stops working."""
    if disclosure(t("me.delete_my_data"), key="me_delete_open"):
        confirm = st.checkbox(t("me.delete_confirm"), key="me_delete_confirm")
        if st.button(t("me.delete_my_data"), disabled=not confirm, key="me_delete_btn", type="secondary"):
            try:
                with get_db() as db:
                    store.delete_participant(db, participant)
            except WorkshopError as exc:
                show_error(exc)
            else:
                st.query_params.clear()
                st.success(t("me.data_deleted"))
                st.stop()
