"""The phone's forms and lists that hold no participant in hand: a contact's fields (shared by
the add and edit forms), one-block lists with a picker, a round's banner, the network summary of
*Ma place*. The participant page passes what they show."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from workshop import ui
from workshop.model import FLOWS, LIMITS, REGIONS, SECTORS, Mine


def circle_name(c: str) -> str:
    return ui.t(f"circle.{c}")


def flow_name(f: str) -> str:
    return ui.t(f"flow.{f}")


def scale_name(v: int) -> str:
    return ui.t(f"scale.{v}")


def round_banner(name: str, mine: Mine) -> bool:
    """Show why a round is read-only; True when it accepts writes."""
    r = mine.rounds[name]
    if r.is_open:
        return True
    key = "round.closed_banner" if r.opened_at else "round.not_yet"
    st.warning(ui.t(key, round=f"round.{name}"))
    return False


def manage_list(kind: str, items: list[dict], line, option, delete, writable: bool, done: str) -> None:
    """The list as ONE Markdown block, then one picker with edit and delete: a phone's rerun stays
    a handful of elements however long the list (each element costs the server a wake-up)."""
    if not items:
        return
    st.markdown("  \n".join(line(item) for item in reversed(items)))
    ids = [item["id"] for item in reversed(items)]
    labels = {item["id"]: option(item) for item in items}
    if st.session_state.get(f"pick_{kind}") not in ids:  # deleted meanwhile, or a forged value
        st.session_state[f"pick_{kind}"] = ids[0]
    picked = st.session_state[f"pick_{kind}"]
    # The picker on its own line, the buttons below: beside them, a phone cut its names short
    # ("Jean Martin (Anci…").
    st.selectbox(
        ui.t("me.pick"), ids, format_func=lambda i: labels.get(i, "?"), placeholder=ui.t("field.choose"), key=f"pick_{kind}"
    )
    with st.container(horizontal=True):
        if writable:
            st.button(
                ui.t("me.edit"),
                key=f"edit_{kind}",
                on_click=lambda: st.session_state.update(me_editing=(kind, st.session_state.get(f"pick_{kind}"))),
            )
        # A tap on a phone can land on the wrong button: deleting asks once more, by name.
        st.button(
            ui.t("me.delete"),
            key=f"del_{kind}",
            on_click=lambda: st.session_state.update({f"confirm_{kind}": st.session_state.get(f"pick_{kind}")}),
        )
    if st.session_state.get(f"confirm_{kind}") != picked:
        st.session_state.pop(f"confirm_{kind}", None)  # another item was picked meanwhile
        return

    def confirmed() -> None:
        st.session_state.pop(f"confirm_{kind}", None)
        delete(picked)

    with st.container(border=True):
        st.markdown(ui.escape_md(ui.t("me.confirm_delete", label=labels[picked])))
        with st.container(horizontal=True):
            st.button(ui.t("me.delete"), type="primary", key=f"del_yes_{kind}", on_click=ui.guarded(confirmed, success=done))
            st.button(ui.t("me.cancel"), key=f"del_no_{kind}", on_click=lambda: st.session_state.pop(f"confirm_{kind}", None))


def contact_line(c: dict) -> str:
    details = [circle_name(c["circle"])] + (["💤"] if c["dormant"] else []) + [flow_name(f) for f in c["flows"]]
    return f"**{ui.escape_md(c['label'])}** · " + ui.escape_md(" · ".join(details))


def contact_option(c: dict) -> str:
    return f"{c['label']} ({circle_name(c['circle'])})"


def idea_line(idea: dict) -> str:
    text = "• " + ui.escape_md(idea["text"]).replace("  \n", " ")
    return text + (" " + ui.escape_md(ui.t("me.hidden_by_facilitator")) if idea["hidden"] else "")


def contact_detail_fields(prefix: str, current: dict | None = None) -> None:
    """The optional fields of a contact, keyed by prefix (shared by the add and edit forms)."""
    cur = current or {}
    c1, c2 = st.columns(2)
    c1.select_slider(
        ui.t("field.strength"), [1, 2, 3], value=cur.get("strength", 2), format_func=scale_name, key=f"{prefix}_strength"
    )
    c2.select_slider(ui.t("field.trust"), [1, 2, 3], value=cur.get("trust", 2), format_func=scale_name, key=f"{prefix}_trust")
    c1, c2 = st.columns([3, 2])
    c1.checkbox(ui.t("field.dormant"), value=cur.get("dormant", False), key=f"{prefix}_dormant")
    c2.number_input(
        ui.t("field.last_contact"), 1900, dt.date.today().year, value=cur.get("last_contact_year"), step=1, key=f"{prefix}_year"
    )
    st.pills(
        ui.t("field.flows"),
        FLOWS,
        selection_mode="multi",
        default=cur.get("flows") or None,
        format_func=flow_name,
        key=f"{prefix}_flows",
    )
    c1, c2 = st.columns(2)
    region_options = list(REGIONS)
    if cur.get("region") and cur["region"] not in region_options:
        region_options.append(cur["region"])
    c1.selectbox(
        ui.t("field.region"),
        region_options,
        index=region_options.index(cur["region"]) if cur.get("region") else None,
        accept_new_options=True,
        key=f"{prefix}_region",
        placeholder="—",
    )
    c2.text_input(ui.t("field.city"), value=cur.get("city", ""), max_chars=LIMITS["place"], key=f"{prefix}_city")
    c1, c2 = st.columns(2)
    c1.text_input(ui.t("field.organisation"), value=cur.get("organisation", ""), max_chars=LIMITS["place"], key=f"{prefix}_org")
    sector_options = list(SECTORS)
    if cur.get("sector") and cur["sector"] not in sector_options:
        sector_options.append(cur["sector"])
    c2.selectbox(
        ui.t("field.sector"),
        sector_options,
        index=sector_options.index(cur["sector"]) if cur.get("sector") else None,
        accept_new_options=True,
        key=f"{prefix}_sector",
        placeholder="—",
    )
    st.text_input(ui.t("field.contact_skills"), value=", ".join(cur.get("skills", [])), max_chars=300, key=f"{prefix}_skills")


def contact_fields_from_state(prefix: str) -> dict:
    s = st.session_state
    return {
        "label": s.get(f"{prefix}_label", ""),
        "circle": s.get(f"{prefix}_circle"),
        "strength": s.get(f"{prefix}_strength", 2),
        "trust": s.get(f"{prefix}_trust", 2),
        "dormant": s.get(f"{prefix}_dormant", False),
        "last_contact_year": s.get(f"{prefix}_year"),
        "flows": s.get(f"{prefix}_flows") or [],
        "region": s.get(f"{prefix}_region") or "",
        "city": s.get(f"{prefix}_city", ""),
        "organisation": s.get(f"{prefix}_org", ""),
        "sector": s.get(f"{prefix}_sector") or "",
        "skills": s.get(f"{prefix}_skills", ""),
    }


def hide_link_box() -> None:
    st.session_state["me_show_link"] = False


def stop_editing() -> None:
    """Closed with its cross or Escape: the dialog must not come back on the next rerun."""
    st.session_state.pop("me_editing", None)


def close_if_saved() -> None:
    """A dialog reruns alone: once its save went through, the whole page redraws (and the dialog
    closes); a refusal is shown in the dialog, with the input still there."""
    if "me_editing" not in st.session_state:
        st.rerun()
    ui.show_flashes()


def holes_summary(mine: dict | None, median: dict) -> None:
    """How this participant's network compares with the room's, in plain words."""
    st.header(ui.t("place.holes_title"), anchor=False)
    if not mine or not mine["answered"]:
        st.caption(ui.t("place.holes_unknown"))
        return
    med = median["groups"]
    shown = ui.number(int(med)) if med == int(med) else f"{med:.1f}".replace(".", "," if ui.lang() == "fr" else ".")
    key = "place.holes_one" if mine["groups"] <= 1 else "place.holes_text"
    st.markdown(ui.t(key, degree=mine["degree"], groups=mine["groups"], median=shown))
    if median["participants"] < 2:
        st.caption(ui.t("place.holes_alone"))
    elif mine["groups"] > median["groups"]:
        st.caption(ui.t("place.holes_more"))
    elif mine["groups"] < median["groups"]:
        st.caption(ui.t("place.holes_less"))
    else:
        st.caption(ui.t("place.holes_same"))


def display_round(name: str, mine: Mine) -> None:
    """A round the room only watches: the catalogue's `round_text.<name>` while it is open."""
    if round_banner(name, mine):
        st.markdown(ui.t(f"round_text.{name}"))
