"""The addresses a workshop hands out, and their QR code."""

from __future__ import annotations

import io
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
    return f"{base_url(workshop)}/projector?{urlencode({'w': workshop.code})}"


def qr_png(url: str, *, scale: int = 10) -> bytes:
    """A crisp PNG QR code (show it with output_format='PNG': JPEG blurs the modules)."""
    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="png", scale=scale, border=2, dark="#111111", light="#ffffff")
    return buf.getvalue()
