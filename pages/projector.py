"""The wall (?w=CODE): join code and QR always visible, the current round and its timer, and the
view the facilitator chose. Read-only; its clock (ui.wall_clock) redraws only what changed; shows
only what the privacy mode allows."""

from collections.abc import Callable

import streamlit as st

from workshop import links, ui
from workshop import wall as walls
from workshop.errors import SlowDown, WorkshopError
from workshop.ui import wall_clock as clock
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


ui.set_default_lang(w.language)
ui.page_chrome(wall=True)
clock.start(reads.pulse_of(w))  # the full run reads the room once; its fragments draw from it


@st.fragment(key=clock.HEAD)
def live_header() -> None:
    """The round and its countdown, at every tick of the wall's clock (its hidden button)."""
    clock.tick_button()
    current = clock.pulse().current
    if current:
        left = reads.seconds_left(current)
        timer = ""
        if left is not None:
            timer = f'&nbsp;&nbsp;<span class="proj-timer">{fmt_time(left) if left else ui.esc(ui.t("proj.time_up"))}</span>'
        label = ui.t("proj.current_round", round=f"round.{current.name}")
        st.html(f'<span class="proj-round">{ui.esc(label)}</span>{timer}')
    else:
        st.html(f'<span class="proj-round">{ui.esc(ui.t("proj.waiting"))}</span>')


@st.fragment(key=clock.VIEW)
def live_view() -> None:
    """The view the facilitator chose, drawn from the last pulse: when the clock saw its data,
    look or page change (the header and its QR are not drawn again)."""
    pulse = clock.pulse()
    room = pulse.room
    clock.drawing_view()
    since = reads.fresh_since()
    fresh = reads.fresh_counts(room.id, since=since)
    frame = walls.WallFrame(
        w=room, version=room.version, since=since, fresh=fresh, counters=ui.room_counters(room.id, room.version)
    )
    VIEWS.get(room.projector_view, VIEWS["counters"])(frame)
    clock.view_drawn(pulse)


def wall() -> None:
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
    live_view()


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
