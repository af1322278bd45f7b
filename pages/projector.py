"""The wall (?w=CODE): join code and QR always visible, the current round and its timer, and the
view the facilitator chose. Read-only; refreshes itself; shows only what the privacy mode allows."""

import datetime as dt
import time

import streamlit as st

from workshop import config, links, network, store, ui
from workshop.errors import WorkshopError

code = st.query_params.get("w", "")
try:
    with ui.get_db() as db:
        workshop = store.workshop_by_code(db, code)
except WorkshopError:
    st.error(ui.t("proj.unknown"))
    st.stop()

ui.projector_css()


def fmt_time(seconds: int) -> str:
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


FULL_REDRAW_SECONDS = 30  # "what's new" highlights age even when nothing is written


with ui.get_db() as db:
    version = store.version(db, workshop.id)
snap = ui.room_snapshot(ui.database(), workshop.id, version)
w = snap["workshop"]
ui.set_default_lang(w.language)
ui.page_chrome()
st.session_state["proj_version"] = version
st.session_state["proj_drawn_at"] = time.monotonic()


@st.fragment(run_every=config.REFRESH_SECONDS)
def live_header() -> None:
    """Runs every few seconds: the round and its countdown, and a cheap look at the data version.
    Only when the version moved (or the highlights aged) does it redraw the whole wall."""
    with ui.get_db() as db:
        try:
            now_version = store.version(db, workshop.id)
        except WorkshopError:
            st.error(ui.t("proj.unknown"))
            return
        current = store.current_round(db, workshop.id)
    aged = time.monotonic() - st.session_state.get("proj_drawn_at", 0) > FULL_REDRAW_SECONDS
    if now_version != st.session_state.get("proj_version") or aged:
        st.rerun()
    if current:
        left = store.seconds_left(current)
        timer = ""
        if left is not None:
            timer = f'&nbsp;&nbsp;<span class="proj-timer">{fmt_time(left) if left else ui.esc(ui.t("proj.time_up"))}</span>'
        label = ui.t("proj.current_round", round=f"round.{current.name}")
        st.html(f'<span class="proj-round">{ui.esc(label)}</span>{timer}')
    else:
        st.html(f'<span class="proj-round">{ui.esc(ui.t("proj.waiting"))}</span>')


def wall() -> None:
    since = store.now_iso(dt.datetime.now(dt.UTC) - dt.timedelta(seconds=config.NEW_WINDOW_SECONDS))
    with ui.get_db() as db:
        fresh = store.recent(db, workshop.id, since=since)
    head = st.columns([5, 3, 2], vertical_alignment="center")
    with head[0]:
        st.html(f'<h1 class="proj-title">{ui.esc(w.title)}</h1><p class="proj-sub">{ui.esc(w.question)}</p>')
        live_header()
    with head[1]:
        st.html(
            f'<p class="proj-sub">{ui.esc(ui.t("proj.code"))}</p><p class="proj-code">{ui.esc(w.code)}</p>'
            f'<p class="proj-url">{ui.esc(ui.t("proj.join_at"))} {ui.esc(links.base_url(w))}</p>'
        )
    with head[2]:
        ui.qr_image(links.join_url(w), w.code, width=230)

    view = w.projector_view
    if view == "counters":
        counters_view(snap["counters"], fresh)
    elif view == "network":
        ui.render_network(w, version, height=720, key="proj_net")
    elif view == "ideas":
        ideas_view(w, version, since)
    elif view in ("themes", "votes"):
        themes_view(w, version, ranking=view == "votes")
    elif view == "collectifs":
        collectifs_view(w, version)


def counters_view(counters: dict, fresh: dict) -> None:
    cells = [
        ("participants", counters["participants"], fresh["participants"]),
        ("contacts", counters["contacts"], fresh["contacts"]),
        ("ideas", counters["ideas"], fresh["ideas"]),
        ("votes", counters["voters"], 0),
    ]
    cols = st.columns(len(cells))
    for col, (name, value, new) in zip(cols, cells, strict=True):
        extra = f'<div class="proj-new">{ui.esc(ui.t("proj.new_count", n=new))}</div>' if new else "<div>&nbsp;</div>"
        col.html(
            f'<div data-testid="proj-{name}"><div class="proj-metric">{value}</div>'
            f'<div class="proj-metric-label">{ui.esc(ui.t(f"proj.{name}"))}</div>{extra}</div>'
        )
    st.html(f'<p class="proj-sub">{counters["silent"]} {ui.esc(ui.t("proj.silent"))}</p>')


@st.cache_data(max_entries=32, show_spinner=False)
def _ideas(path: str, workshop_id: int, version: int) -> list[dict]:
    del version
    with ui.get_db() as db:
        frame = store.ideas_frame(db, workshop_id)
    return frame.sort_values("id", ascending=False).head(40).to_dict("records") if not frame.empty else []


def ideas_view(w, version: int, since: str) -> None:
    ideas = _ideas(ui.database(), w.id, version)
    if not ideas:
        st.info(ui.t("proj.no_ideas"))
        return
    cols = st.columns(4)
    for n, idea in enumerate(ideas):
        cls = "note fresh" if idea["created_at"] >= since else "note"
        author = "" if w.anonymous else f'<div class="note-author">— {ui.esc(idea["author"])}</div>'
        cols[n % 4].html(f'<div class="{cls}">{ui.esc(idea["text"])}{author}</div>')


@st.cache_data(max_entries=32, show_spinner=False)
def _cards(path: str, workshop_id: int, version: int, lang: str) -> list[dict]:
    """Theme cards, each with what it needs that only some of the room reaches, and who."""
    cards = [dict(card) for card in ui.theme_cards(path, workshop_id, version)]
    with ui.get_db() as db:
        contacts = store.contacts_frame(db, workshop_id)
        people = store.participants_frame(db, workshop_id, include_blocked=False)
    names = dict(zip(people["id"], people["display_name"], strict=True))
    for card in cards:
        needs = network.who_can_help(card["tags"], contacts, texts=card["texts"])
        card["help"] = {
            anonymous: network.describe_help(needs, names, lang=lang, anonymous=anonymous) for anonymous in (False, True)
        }
    return cards


def themes_view(w, version: int, *, ranking: bool) -> None:
    from workshop import charts

    with ui.get_db() as db:
        frame = store.themes_frame(db, w.id)
    if frame.empty:
        st.info(ui.t("proj.no_themes"))
        return
    if ranking:
        st.html(f'<p class="proj-round">{ui.esc(ui.t("proj.ranking"))}</p>')
        st.plotly_chart(charts.votes_figure(frame, lang=ui.lang(), height=680), key="proj_votes")
        return
    cards = sorted(_cards(ui.database(), w.id, version, ui.lang()), key=lambda c: (-c["votes"], -c["ideas"], c["id"]))
    cols = st.columns(3)
    for n, card in enumerate(cards[:9]):
        reps = "".join(f"<li>{ui.esc(text)}</li>" for text in card["representative"][:3])
        helped = card["help"][w.anonymous]
        help_html = f'<div class="meta">🤝 {ui.esc(helped)}</div>' if helped else ""

        cols[n % 3].html(
            f'<div class="card"><h2>{ui.esc(card["label"])}</h2>'
            f'<div class="meta">{card["ideas"]} {ui.esc(ui.t("th.ideas"))} · {card["votes"]} {ui.esc(ui.t("th.votes"))}</div>'
            f"<ul>{reps}</ul>{help_html}</div>"
        )


def collectifs_view(w, version: int) -> None:
    with ui.get_db() as db:
        groups = store.collectifs(db, w.id)
    if not groups:
        st.info(ui.t("proj.no_collectifs"))
        return
    cols = st.columns(min(3, len(groups)))
    for n, group in enumerate(groups):
        members = "" if w.anonymous else ", ".join(m["display_name"] for m in group["members"])
        steps = "".join(f"<li>{ui.esc(ui.step_text(s))}</li>" for s in group["next_steps"][:4])
        regions = sorted({c["region"] for c in group["contacts"] if c["region"]})
        sectors = sorted({c["sector"] for c in group["contacts"] if c["sector"]})
        reach = ", ".join(regions[:3] + sectors[:3])
        cols[n % len(cols)].html(
            f'<div class="card"><h2>{ui.esc(group["name"])}</h2>'
            f'<div class="meta">{len(group["members"])} · {ui.esc(members)}</div>'
            f"<ul>{steps}</ul>"
            f'<div class="meta">{ui.esc(ui.t("proj.mobilises"))} {len(group["contacts"])} {ui.esc(ui.t("net.contact").lower())}s'
            f"{' · ' + ui.esc(reach) if reach else ''}</div></div>"
        )


wall()
