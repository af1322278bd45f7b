"""The wall's views, each drawn on the 1920×1080 canvas from readings cached on the room's
version (ui.wall_readings); rotating views page themselves by the run's slot."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from workshop import charts, regions_map, ui
from workshop import wall as walls
from workshop.ui import wall_readings as reads

NETWORK_HEIGHT = 750  # px of the 1920×1080 canvas below the header
VOTES_HEIGHT = 650  # the ranking, under its heading
STORY_CHART_WIDTH, STORY_CHART_HEIGHT = 880, 700  # the story's picture: the canvas's right half
MAP_HEIGHT, MAP_ROWS = 750, 11  # the map's height on the canvas; regions listed beside it
GROWTH_WIDTH = 1040  # px: the growth curve's column (3/5 of the canvas's content width)


def pager(page: walls.Page) -> str:
    """The discreet position indicator of a rotating view ("2 / 4"), empty when all fits."""
    st.session_state["proj_pages"] = page.count
    if page.count < 2:
        return ""
    label = ui.t("proj.page", n=page.index + 1, count=page.count)
    return f'<div class="wall-pager" aria-label="{ui.esc(label)}">{page.index + 1} / {page.count}</div>'


def paged(items: list, view: str) -> walls.Page:
    return walls.page_of(items, per_page=walls.PER_PAGE[view], slot=st.session_state["proj_slot"])


def counters_view(w, version: int, counters: dict, fresh: dict) -> None:
    cells = [
        ("participants", counters["participants"], fresh["participants"]),
        ("contacts", counters["contacts"], fresh["contacts"]),
        ("ideas", counters["ideas"], fresh["ideas"]),
        ("votes", counters["voters"], 0),
    ]
    metrics = "".join(
        f'<div data-testid="proj-{name}"><div class="proj-metric">{ui.esc(ui.number(value))}</div>'
        f'<div class="proj-metric-label">{ui.esc(ui.t(f"proj.{name}"))}</div>'
        + (f'<div class="proj-new">{ui.esc(ui.t("proj.new_count", n=ui.number(new)))}</div>' if new else "")
        + "</div>"
        for name, value, new in cells
    )
    st.html(f'<div class="wall-metrics">{metrics}</div>')
    activity = reads.activity(w.id, version, w.anonymous)
    now = dt.datetime.now(dt.UTC)
    times = activity["contacts"] + activity["ideas"]
    start = dt.datetime.fromisoformat(activity["opened"]) if activity["opened"] else None
    if start is None and times:
        start = dt.datetime.fromisoformat(min(times))
    left, right = st.columns([3, 2], gap="large")
    with left:
        if start is not None:
            series = {
                ui.t("proj.contacts"): walls.growth(activity["contacts"], start=start, now=now),
                ui.t("proj.ideas"): walls.growth(activity["ideas"], start=start, now=now),
            }
            ui.wall_chart(charts.growth_figure(series, lang=ui.lang(), height=470), key="proj_growth", width=GROWTH_WIDTH)
    with right:
        rows = []
        for arrival in activity["arrivals"]:
            who = arrival.who or ui.t("proj.someone")
            place = f" · {arrival.region}" if arrival.region else ""
            rows.append(
                f'<li><span class="wall-dot family-{arrival.family}"></span>'
                f"<b>{ui.esc(who)}</b> · {ui.esc(ui.t(f'family.{arrival.family}'))}{ui.esc(place)}</li>"
            )
        latest = (
            f'<ul class="wall-arrivals">{"".join(rows)}</ul>'
            if rows
            else f'<p class="proj-sub">{ui.esc(ui.t("proj.latest_empty"))}</p>'
        )
        # Who has not added anything yet: nothing to say before anyone has joined.
        silent = f'<p class="proj-sub">{counters["silent"]} {ui.esc(ui.t("proj.silent"))}</p>' if counters["participants"] else ""
        st.html(f'<h2 class="wall-h2">{ui.esc(ui.t("proj.latest"))}</h2>{latest}{silent}')


def ideas_view(w, version: int, since: str) -> None:
    ideas = reads.newest_ideas(w.id, version)
    if not ideas:
        st.info(ui.t("proj.no_ideas"))
        return
    page = walls.ideas_page(ideas, slot=st.session_state["proj_slot"], now=dt.datetime.now(dt.UTC))
    notes = []
    for idea in page.items:
        cls = "note fresh" if idea["created_at"] >= since else "note"
        author = "" if w.anonymous else f'<div class="note-author">— {ui.esc(idea["author"])}</div>'
        notes.append(f'<div class="{cls}"><div class="note-text">{ui.esc(idea["text"])}</div>{author}</div>')
    st.html(f'<div class="wall-grid wall-ideas">{"".join(notes)}</div>{pager(page)}')


def counts(ideas: int, votes: int) -> str:
    """ "3 idées · 1 gommette", singular where it is one."""
    return f"{ui.count(ideas, 'th.one_idea', 'th.n_ideas')} · {ui.count(votes, 'th.one_dot', 'th.n_dots')}"


def themes_view(w, version: int, *, ranking: bool) -> None:
    frame = reads.themes(w.id, version)
    if frame.empty:
        st.info(ui.t("proj.no_themes"))
        return
    if ranking:
        st.html(f'<p class="proj-round">{ui.esc(ui.t("proj.ranking"))}</p>')
        ui.wall_chart(charts.votes_figure(frame, lang=ui.lang(), height=VOTES_HEIGHT), key="proj_votes")
        return
    cards = sorted(ui.wall_cards(ui.database(), w.id, version, ui.lang()), key=lambda c: (-c["votes"], -c["ideas"], c["id"]))
    page = paged(cards, "themes")
    html = []
    for card in page.items:
        reps = "".join(f"<li>{ui.esc(text)}</li>" for text in card["representative"][:2])
        helped = card["help"][w.anonymous]
        help_html = f'<div class="meta help">{ui.esc(helped)}</div>' if helped else ""
        html.append(
            f'<div class="card"><h2>{ui.esc(card["label"])}</h2>'
            f'<div class="meta">{ui.esc(counts(card["ideas"], card["votes"]))}</div>'
            f"<ul>{reps}</ul>{help_html}</div>"
        )
    st.html(f'<div class="wall-grid wall-cards">{"".join(html)}</div>{pager(page)}')


def story_view(w, version: int) -> None:
    """One finding per screen, in turn: large type on the left, its picture on the right."""
    slides = reads.story(w.id, version, anonymous=w.anonymous, show_labels=w.show_labels, lang=ui.lang())
    if not slides:
        st.info(ui.t("story.empty"))
        return
    page = walls.page_of(slides, per_page=1, slot=st.session_state["proj_slot"])
    slide = page.items[0]
    left, right = st.columns([1, 1], gap="large")
    with left:
        st.html(
            f'<div class="story"><p class="story-title">{ui.esc(slide.title)}</p>'
            f'<p class="story-head">{ui.esc(slide.headline)}</p><p class="story-detail">{ui.esc(slide.detail)}</p></div>'
            + pager(page)
        )
    with right:
        if slide.picture:
            colour = {"bridge": "#0072B2", "sleeping": "#D55E00", "reach": "#009E73", "skill": "#E69F00"}.get(
                slide.kind, "#CC79A7"
            )
            figure = charts.bar_figure(slide.picture, height=STORY_CHART_HEIGHT, color=colour, top=8, lang=ui.lang())
            ui.wall_chart(figure, key=f"proj_story_{slide.kind}", width=STORY_CHART_WIDTH)


def map_view(w, version: int) -> None:
    """France's regions coloured by how many participants know someone there, and the ranking."""
    counts = reads.reach(w.id, version)
    if not counts:
        st.info(ui.t("map.empty"))
        return
    on_map = regions_map.outline()["regions"]
    most = max(counts.values())
    rows = [
        f'<li><span class="wall-swatch" style="background:{regions_map.colour(n, most)}"></span>'
        f"<b>{ui.esc(ui.t('map.row', n=ui.number(n)))}</b> {ui.esc(region)}</li>"
        for region, n in counts.items()
        if region in on_map
    ][:MAP_ROWS]
    elsewhere = sum(n for region, n in counts.items() if region not in on_map)
    if elsewhere:
        rows.append(
            f'<li><span class="wall-swatch"></span><b>{ui.esc(ui.t("map.row", n=ui.number(elsewhere)))}</b> {ui.esc(ui.t("map.elsewhere"))}</li>'
        )
    left, right = st.columns([5, 4], gap="large")
    with left:
        st.html(regions_map.map_img(counts, lang=ui.lang(), height=MAP_HEIGHT))
    with right:
        st.html(
            f'<h2 class="wall-h2">{ui.esc(ui.t("map.title"))}</h2><p class="proj-sub">{ui.esc(ui.t("map.legend"))}</p>'
            f'<ul class="wall-arrivals">{"".join(rows)}</ul>'
        )


def collectifs_view(w, version: int) -> None:
    groups = reads.collectifs(w.id, version)
    if not groups:
        st.info(ui.t("proj.no_collectifs"))
        return
    page = paged(groups, "collectifs")
    html = []
    for group in page.items:
        members = "" if w.anonymous else ", ".join(m["display_name"] for m in group["members"])
        # Two steps, the members on one line: a card of 360 px holds them whole from the back of
        # the room (three steps sliced the card's last line in half at 200 people).
        steps = "".join(f"<li>{ui.esc(ui.step_text(s))}</li>" for s in group["next_steps"][:2])
        regions = sorted({c["region"] for c in group["contacts"] if c["region"]})
        sectors = sorted({c["sector"] for c in group["contacts"] if c["sector"]})
        reach = ", ".join(regions[:3] + sectors[:3])
        html.append(
            f'<div class="card"><h2>{ui.esc(group["name"])}</h2>'
            f'<div class="meta who">{len(group["members"])} · {ui.esc(members)}</div>'
            f"<ul>{steps}</ul>"
            f'<div class="meta help">{ui.esc(ui.t("proj.mobilises"))} {ui.esc(ui.count(len(group["contacts"]), "proj.one_contact", "proj.n_contacts"))}'
            f"{' · ' + ui.esc(reach) if reach else ''}</div></div>"
        )
    st.html(f'<div class="wall-grid wall-cards">{"".join(html)}</div>{pager(page)}')
