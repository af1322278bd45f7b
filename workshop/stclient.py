"""A minimal client of Streamlit's own WebSocket protocol (BackMsg/ForwardMsg protobufs), used to
warm a fresh server up and to load-test it without a browser per session."""

from __future__ import annotations

import asyncio
import html
import re
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

from workshop import config

WALL_TICK = "td_wall_tick"  # the key of the wall clock's button (workshop/ui/wall_clock.py)
FINISHED = {
    ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY,
    ForwardMsg.ScriptFinishedStatus.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
    ForwardMsg.ScriptFinishedStatus.FINISHED_WITH_COMPILE_ERROR,
}


@dataclass
class Run:
    """What one script run sent back: widgets by kind, alerts, exceptions, plain texts."""

    widgets: list[tuple[str, object]] = field(default_factory=list)
    fragments: dict[str, str] = field(default_factory=dict)  # widget id -> id of its st.fragment
    alerts: list[tuple[str, str]] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    elements: int = 0  # every element drawn, charts and images included
    status: int | None = None
    seconds: float = 0.0

    def widget(self, kind: str, label: str | None = None, *, contains: str | None = None):
        for k, proto in self.widgets:
            if k != kind:
                continue
            lab = getattr(proto, "label", "")
            if (label is None or lab == label) and (contains is None or contains in getattr(proto, "id", "")):
                return proto
        raise KeyError(f"no {kind} {label!r} {contains!r} in {[(k, getattr(p, 'label', '')) for k, p in self.widgets]}")

    def fragment_of(self, widget) -> str:
        """The fragment a widget lives in ("" for the page): a browser reruns only that fragment."""
        return self.fragments.get(widget.id, "")

    def merged(self, later: Run) -> Run:
        """What the screen shows after `later`, a fragment run: its widgets replace theirs."""
        replaced = {(k, getattr(w, "label", "")) for k, w in later.widgets}
        kept = [(k, w) for k, w in self.widgets if (k, getattr(w, "label", "")) not in replaced]
        return Run(
            widgets=later.widgets + kept,
            fragments={**self.fragments, **later.fragments},
            alerts=later.alerts,
            exceptions=later.exceptions,
            texts=later.texts,
            status=later.status,
            seconds=later.seconds,
        )

    def alert_text(self) -> str:
        """The alerts as a person reads them (Markdown escapes and character references undone)."""
        return " | ".join(html.unescape(re.sub(r"\\(.)", r"\1", body)) for _, body in self.alerts)


class Session:
    """One browser tab, spoken at the protocol level."""

    def __init__(
        self,
        base: str,
        *,
        page_name: str = "",
        query: dict | None = None,
        compress: bool | None = None,
        source_address: str | None = None,
    ) -> None:
        self.ws_url = base.replace("http://", "ws://").rstrip("/") + "/_stcore/stream"
        self.base = base.rstrip("/")
        self.page_name = page_name
        self.query_string = urlencode(query or {})
        self.page_hash = ""
        self.fragment_ids: list[str] = []
        self.clock = None  # a wall's hidden tick button and its fragment, once a run drew them
        self.ws = None
        # Browsers offer permessage-deflate; the load test can too (compress=True or STCLIENT_DEFLATE=1).
        self.compress = compress if compress is not None else config.stclient_deflate()
        # A loopback address other than 127.0.0.1 (127.0.1.7…): a client the server tells apart.
        self.source_address = source_address

    async def __aenter__(self) -> Session:
        self.ws = await websockets.connect(
            self.ws_url,
            subprotocols=["streamlit", "PLACEHOLDER_AUTH_TOKEN"],
            max_size=None,
            ping_interval=None,
            compression="deflate" if self.compress else None,
            open_timeout=30,
            **({"local_addr": (self.source_address, 0)} if self.source_address else {}),
        )
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
            self.ws = None

    def _back(self, *, widgets: list[WidgetState] | None = None, fragment_id: str = "", auto: bool = False) -> bytes:
        msg = BackMsg()
        rs = msg.rerun_script
        rs.query_string = self.query_string
        if self.page_hash:
            rs.page_script_hash = self.page_hash
        else:
            rs.page_name = self.page_name
        rs.context_info.timezone = "Europe/Paris"
        rs.context_info.locale = "fr-FR"
        rs.context_info.url = f"{self.base}/{self.page_name}"
        if widgets:
            rs.widget_states.widgets.extend(widgets)
        if fragment_id:
            rs.fragment_id = fragment_id
            rs.is_auto_rerun = auto
        return msg.SerializeToString()

    async def run(
        self, *, widgets: list[WidgetState] | None = None, fragment_id: str = "", auto: bool = False, timeout: float = 60
    ) -> Run:
        """Send one rerun and read until that run has finished."""
        started = time.perf_counter()
        await self.ws.send(self._back(widgets=widgets, fragment_id=fragment_id, auto=auto))
        result = Run()
        deadline = time.monotonic() + timeout
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), timeout=max(0.1, deadline - time.monotonic()))
            fm = ForwardMsg()
            fm.ParseFromString(raw)
            kind = fm.WhichOneof("type")
            if kind == "new_session":
                self.page_hash = self.page_hash or fm.new_session.page_script_hash
            elif kind == "navigation":
                self.page_hash = fm.navigation.page_script_hash
            elif kind == "page_info_changed":
                # st.switch_page(..., query_params=...) or st.query_params changes.
                self.query_string = fm.page_info_changed.query_string
            elif kind == "auto_rerun":
                if fm.auto_rerun.fragment_id not in self.fragment_ids:
                    self.fragment_ids.append(fm.auto_rerun.fragment_id)
            elif kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                result.elements += 1
                _collect(fm.delta.new_element, result, fm.delta.fragment_id)
            elif kind == "script_finished":
                if fm.script_finished in FINISHED:
                    result.status = fm.script_finished
                    result.seconds = time.perf_counter() - started
                    self._find_clock(result)
                    return result

    def _find_clock(self, result: Run) -> None:
        try:
            button = result.widget("button", contains=WALL_TICK)
        except KeyError:
            return
        self.clock = (button, result.fragment_of(button))

    async def tick(self, *, timeout: float = 60) -> Run:
        """One second of a wall's clock: its hidden tick button pressed, as the boot script does
        (the button's fragment reruns; its callback may rerun the view or the page too)."""
        if self.clock is None:
            raise RuntimeError("no wall clock drawn on this page")
        button, fragment_id = self.clock
        return await self.run(widgets=[trigger(button)], fragment_id=fragment_id, timeout=timeout)


def _collect(el, result: Run, fragment_id: str = "") -> None:
    kind = el.WhichOneof("type")
    if kind == "alert":
        result.alerts.append((str(el.alert.format), el.alert.body))
    elif kind == "exception":
        result.exceptions.append(f"{el.exception.type}: {el.exception.message}")
    elif kind == "markdown":
        result.texts.append(el.markdown.body)
    elif kind == "heading":
        result.texts.append(el.heading.body)
    elif kind == "html":
        result.texts.append(el.html.body)
    elif kind in (
        "text_input",
        "text_area",
        "button",
        "button_group",
        "checkbox",
        "selectbox",
        "multiselect",
        "number_input",
        "slider",
        "date_input",
        "radio",
    ):
        result.widgets.append((kind, getattr(el, kind)))
        if fragment_id:
            result.fragments[getattr(el, kind).id] = fragment_id


def text_state(widget, value: str) -> WidgetState:
    return WidgetState(id=widget.id, string_value=value)


def choice_state(widget, *labels: str) -> WidgetState:
    """Pills / segmented control: the formatted option labels chosen."""
    state = WidgetState(id=widget.id)
    state.string_array_value.data.extend(labels)
    return state


def trigger(widget) -> WidgetState:
    return WidgetState(id=widget.id, trigger_value=True)


async def warm_up(base: str, *, timeout: float = 60) -> float:
    """Run the main page once: until a session has run st.navigation, a fresh server answers the
    first direct visit of /projector or /me with a spurious 'Page not found' dialog."""
    async with Session(base) as session:
        run = await session.run(timeout=timeout)
        return run.seconds


if __name__ == "__main__":
    import sys

    seconds = asyncio.run(warm_up(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8501"))
    print(f"warmed up in {seconds:.2f} s")
