"""What a browser page really downloads: bytes on the wire per request (DevTools network
events of Debian's Chromium), encodings, statuses, hosts, and WebSocket frames. Used by the
payload bench and its small run in the test suite."""

from __future__ import annotations

import base64
import zlib
from dataclasses import dataclass, field
from urllib.parse import urlparse


@dataclass
class Request:
    url: str
    status: int = 0
    encoding: str = ""
    mime: str = ""
    wire_bytes: int = 0
    from_cache: bool = False


@dataclass
class Recorder:
    """Attach to a page with `Recorder.attach(page)`; `mark()` starts a new tally."""

    requests: dict[str, Request] = field(default_factory=dict)
    ws_sent: int = 0
    ws_received: int = 0
    ws_frames: int = 0
    ws_received_deflated: int = 0  # the same frames through permessage-deflate (no context takeover)

    @classmethod
    def attach(cls, page) -> Recorder:
        rec = cls()
        cdp = page.context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.on("Network.requestWillBeSent", rec._sent)
        cdp.on("Network.responseReceived", rec._response)
        cdp.on("Network.loadingFinished", rec._finished)
        cdp.on("Network.requestServedFromCache", rec._cached)
        cdp.on("Network.webSocketFrameSent", lambda e: rec._frame(e, sent=True))
        cdp.on("Network.webSocketFrameReceived", lambda e: rec._frame(e, sent=False))
        rec._cdp = cdp  # keep the session alive
        return rec

    def _sent(self, e) -> None:
        self.requests.setdefault(e["requestId"], Request(url=e["request"]["url"]))

    def _response(self, e) -> None:
        r = self.requests.setdefault(e["requestId"], Request(url=e["response"]["url"]))
        r.status = e["response"]["status"]
        r.mime = e["response"].get("mimeType", "")
        headers = {k.lower(): v for k, v in e["response"].get("headers", {}).items()}
        r.encoding = headers.get("content-encoding", "")
        r.from_cache = bool(e["response"].get("fromDiskCache") or e["response"].get("fromServiceWorker"))

    def _finished(self, e) -> None:
        r = self.requests.get(e["requestId"])
        if r is not None:
            r.wire_bytes = int(e.get("encodedDataLength", 0))

    def _cached(self, e) -> None:
        r = self.requests.get(e["requestId"])
        if r is not None:
            r.from_cache = True

    def _frame(self, e, *, sent: bool) -> None:
        data = e["response"].get("payloadData", "")
        # Binary frames come base64-encoded: count the frame's own bytes (before deflate).
        raw = base64.b64decode(data) if e["response"].get("opcode") == 2 else data.encode()
        self.ws_frames += 1
        if sent:
            self.ws_sent += len(raw)
        else:
            self.ws_received += len(raw)
            packer = zlib.compressobj(6, zlib.DEFLATED, -15)
            self.ws_received_deflated += len(packer.compress(raw) + packer.flush(zlib.Z_SYNC_FLUSH)) - 4

    def mark(self) -> None:
        self.requests.clear()
        self.ws_sent = self.ws_received = self.ws_frames = self.ws_received_deflated = 0

    @property
    def http_bytes(self) -> int:
        return sum(r.wire_bytes for r in self.requests.values())

    @property
    def ws_bytes(self) -> int:
        return self.ws_sent + self.ws_received

    def hosts(self) -> set[str]:
        return {urlparse(r.url).netloc for r in self.requests.values() if r.url.startswith("http")}

    def errors(self) -> list[Request]:
        return [r for r in self.requests.values() if r.status >= 400]

    def biggest(self, n: int = 5) -> list[Request]:
        return sorted(self.requests.values(), key=lambda r: -r.wire_bytes)[:n]


READY = '[data-testid="stApp"][data-test-connection-state="CONNECTED"][data-test-script-state="notRunning"]'


def wait_ready(page, timeout: float = 30_000) -> None:
    """The script has finished its run (checked twice: a click can start a rerun a moment later);
    a plain page (the join page, no Streamlit) is ready once loaded."""
    page.wait_for_load_state("load", timeout=timeout)
    if not page.evaluate("!!document.getElementById('root')"):
        return
    page.wait_for_selector(READY, timeout=timeout)
    page.wait_for_timeout(250)
    page.wait_for_selector(READY, timeout=timeout)
    page.wait_for_selector("html:not(.td-loading)", state="attached", timeout=timeout)  # first view settled
