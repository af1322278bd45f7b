"""The addresses a workshop hands out, and their QR code."""

from __future__ import annotations

from urllib.parse import urlencode

import segno

from workshop import config
from workshop.model import Workshop


def base_url(workshop: Workshop) -> str:
    return workshop.public_base_url or config.public_base_url()


def is_loopback(url: str) -> bool:
    """True when the address only works on this machine (localhost, 127.x, ::1): no phone opens it."""
    import ipaddress
    from urllib.parse import urlsplit

    host = (urlsplit(url).hostname or "").lower()
    if host in ("localhost", "") or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def join_url(workshop: Workshop) -> str:
    return f"{base_url(workshop)}/?{urlencode({'code': workshop.code})}"


def participant_url(workshop: Workshop, token: str) -> str:
    return f"{base_url(workshop)}/me?{urlencode({'p': token})}"


def facilitator_url(workshop: Workshop, token: str) -> str:
    return f"{base_url(workshop)}/console?{urlencode({'w': workshop.code, 'k': token})}"


def projector_url(workshop: Workshop) -> str:
    return f"{base_url(workshop)}{projector_path(workshop)}"


def projector_path(workshop: Workshop) -> str:
    """The wall's address on the server the browser is on (the console's button: whatever host
    the facilitator typed, localhost or the Wi-Fi's)."""
    return f"/projector?{urlencode({'w': workshop.code})}"


def home_path(lang: str) -> str:
    """The home page (the front door's plain page) in this language."""
    return f"/?{urlencode({'lang': lang})}"


def creation_path(lang: str) -> str:
    """The creation form (the front door's /new) in this language, on whatever host the browser is on."""
    return f"/new?{urlencode({'lang': lang})}"


def qr(url: str) -> segno.QRCode:
    """The QR of an address, the same on the wall, the console and the printed kit."""
    return segno.make(url, error="m")


def qr_svg_data_uri(url: str, *, scale: int = 10) -> str:
    """The same QR as an SVG data URI: drawn inline, no media file to fetch from one server."""
    return qr(url).svg_data_uri(scale=scale, border=2, dark="#111111", light="#ffffff")
