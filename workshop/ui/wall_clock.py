"""The wall's clock. The boot script presses a hidden button every second; its callback reads the
room once (walls.Pulse) and reruns only what changed: the round line at every tick, the view when
its data, look or page changed (never the header and its QR), the whole page only when the
header's words did. Streamlit lets a widget's callback, and nothing else, rerun a fragment other
than its own (st.rerun with fragment keys): hence a button rather than `run_every`."""

from __future__ import annotations

import time

import streamlit as st

from workshop import config
from workshop import wall as walls
from workshop.errors import NotFound, WorkshopError
from workshop.ui.session import t
from workshop.ui.wall_readings import wall_pulse

TICK_KEY = "td_wall_tick"  # the boot script presses .st-key-td_wall_tick button
HEAD, VIEW = "wall_head", "wall_view"  # the fragments' keys
FULL_REDRAW_SECONDS = 30  # "what's new" highlights age even when nothing is written


def start(pulse: walls.Pulse) -> None:
    """A full run of the wall: the pulse it read is what its fragments draw."""
    st.session_state["wall_pulse"] = pulse


def pulse() -> walls.Pulse:
    """The room as the last tick (or the full run) read it."""
    return st.session_state["wall_pulse"]


def tick_button() -> None:
    """Hidden (workshop/static/app.css); pressed every second by the boot script."""
    st.button(t("proj.tick"), key=TICK_KEY, on_click=_on_tick)


def _on_tick() -> None:
    drawn = st.session_state.get("wall_drawn")
    if drawn is None:
        return  # the view has not been drawn yet: the round line only
    try:
        now = wall_pulse(pulse().room.id)
    except NotFound:
        st.rerun()  # deleted: the full run says so
    except WorkshopError:
        return  # the database busy a moment: the wall stays as drawn, the next tick reads again
    st.session_state["wall_pulse"] = now
    change = walls.what_to_redraw(
        drawn,
        now,
        now=time.monotonic(),
        slot=walls.rotation_slot(time.time()),
        wait=config.REFRESH_SECONDS,
        age_limit=FULL_REDRAW_SECONDS,
    )
    if change == "page":
        st.rerun()
    if change == "view":
        st.rerun([HEAD, VIEW])


def drawing_view() -> None:
    """Before the view draws: the rotation slot every wall shows now (views page themselves by
    it and say how many pages they turn through)."""
    st.session_state["proj_slot"] = walls.rotation_slot(time.time())
    st.session_state["proj_pages"] = 1


def view_drawn(drawn_from: walls.Pulse) -> None:
    """After the view drew: what it was drawn from, for the next ticks to compare."""
    st.session_state["wall_drawn"] = walls.drawn_from(
        drawn_from,
        at=time.monotonic(),
        slot=st.session_state["proj_slot"],
        pages=st.session_state.get("proj_pages", 1),
    )
