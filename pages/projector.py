"""The wall (?w=CODE): join code and QR always visible, the current round and its timer, and the
view the facilitator chose. Read-only; refreshes itself; shows only what the privacy mode allows."""

import time
from collections.abc import Callable

import streamlit as st

from workshop import config, links, ui
from workshop import wall as walls
from workshop.errors import SlowDown, WorkshopError
from workshop.ui import wall_readings as reads
from workshop.ui import wall_views as views

code = st.query_params.get("w", "")
try:
    w = reads.room_by_code(code)  # read once: its version is the data this run draws
except WorkshopError as exc:
    st.error(exc.message(ui.lang()) if isinstance(exc, SlowDown) else ui.t("proj.unknown"))
    st.stop()

ui.projector_css()


def fmt_time(seconds: int) -> str:
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


FULL_REDRAW_SECONDS = 30  # "what's new" highlights age even when nothing is written


version = w.version
ui.set_default_lang(w.language)
ui.page_chrome(wall=True)
st.session_state["proj_version"] = version
st.session_state["proj_look"] = reads.look_of(w.projector_view, w.settings)
st.session_state["proj_drawn_at"] = time.monotonic()
st.session_state["proj_slot"] = walls.rotation_slot(time.time())
st.session_state["proj_pages"] = 1  # the view sets how many pages it rotates through


@st.fragment(run_every=config.WALL_PULSE_SECONDS)
def live_header() -> None:
    """Runs every second: the round and its countdown, and a cheap look at the data version and
    the view. A switched view redraws the wall at once; new data at most every REFRESH_SECONDS
    (a room writing all the time would otherwise recompute its network without a pause)."""
    try:
        now_version, now_look, current = reads.pulse(w.id)
    except WorkshopError:
        st.error(ui.t("proj.unknown"))
        return
    drawn_for = time.monotonic() - st.session_state.get("proj_drawn_at", 0)
    aged = drawn_for > FULL_REDRAW_SECONDS
    turned = st.session_state.get("proj_pages", 1) > 1 and walls.rotation_slot(time.time()) != st.session_state.get("proj_slot")
    switched = now_look != st.session_state.get("proj_look")  # a view switch moves no version
    new_data = now_version != st.session_state.get("proj_version") and drawn_for >= config.REFRESH_SECONDS
    if new_data or switched or aged or turned:
        st.rerun()
    if current:
        left = reads.seconds_left(current)
        timer = ""
        if left is not None:
            timer = f'&nbsp;&nbsp;<span class="proj-timer">{fmt_time(left) if left else ui.esc(ui.t("proj.time_up"))}</span>'
        label = ui.t("proj.current_round", round=f"round.{current.name}")
        st.html(f'<span class="proj-round">{ui.esc(label)}</span>{timer}')
    else:
        st.html(f'<span class="proj-round">{ui.esc(ui.t("proj.waiting"))}</span>')


def wall() -> None:
    since = reads.fresh_since()
    fresh = reads.fresh_counts(w.id, since=since)
    head = st.columns([5, 3, 2], vertical_alignment="center")
    with head[0]:
        st.html(f'<h1 class="proj-title">{ui.esc(w.title)}</h1><p class="proj-sub proj-question">{ui.esc(w.question)}</p>')
        live_header()
    with head[1]:
        st.html(
            f'<p class="proj-sub">{ui.esc(ui.t("proj.code"))}</p><p class="proj-code">{ui.esc(w.code)}</p>'
            f'<p class="proj-url">{ui.esc(ui.t("proj.join_at"))} {ui.esc(links.base_url(w))}</p>'
        )
    with head[2]:
        ui.qr_image(links.join_url(w), w.code, width=220)

    VIEWS.get(w.projector_view, VIEWS["counters"])(
        walls.WallFrame(w=w, version=version, since=since, fresh=fresh, counters=ui.room_counters(w.id, version))
    )


# One entry per model.PROJECTOR_VIEWS (a test keeps them in step): a new view is a function here.
VIEWS: dict[str, Callable[[walls.WallFrame], None]] = {
    "counters": lambda f: views.counters_view(f.w, f.version, f.counters, f.fresh),
    "network": lambda f: ui.render_network(f.w, f.version, height=views.NETWORK_HEIGHT, key="proj_net", wall=True),
    "map": lambda f: views.map_view(f.w, f.version),
    "ideas": lambda f: views.ideas_view(f.w, f.version, f.since),
    "themes": lambda f: views.themes_view(f.w, f.version, ranking=False),
    "votes": lambda f: views.themes_view(f.w, f.version, ranking=True),
    "collectifs": lambda f: views.collectifs_view(f.w, f.version),
    "story": lambda f: views.story_view(f.w, f.version),
}

wall()
