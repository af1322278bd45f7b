"""`python -m workshop.launch run serve.py …`: Streamlit's own command line, with the server's
bounds a guest on the Wi-Fi cannot lift (Streamlit has no setting for them):

- a browser's WebSocket message is refused (1009) past `config.ws_inbound_max_bytes()` *while it
  is inflated*: under Streamlit's single 10 MB limit, 150 connections each sending ~9 KB of
  deflated zeros held +1.2 GB; the app's messages to browsers keep the 10 MB limit;
- the open-file limit raised to what the system allows (a laptop's 1,024, macOS' 256) and the
  connections one server holds capped below it, so a flood gets a 503 instead of a server that
  can no longer open its database.
"""

from __future__ import annotations

import sys
from typing import Any

from workshop import config

# What a phone reads past the connection cap: both languages (the room's is not known before
# the database is read), and it tries again by itself.
SERVER_FULL_PAGE = (
    '<!doctype html><html lang="fr"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width,initial-scale=1"><meta http-equiv="refresh" content="10">'
    '<title>Serveur complet</title></head><body style="font:1.2rem/1.5 system-ui,sans-serif;margin:2rem">'
    "<h1>Le serveur est complet pour l'instant</h1><p>Trop de connexions en même temps. Cette page "
    "réessaie d'elle-même dans 10 secondes.</p>"
    '<p lang="en">The server is full right now (too many connections): this page tries again in 10 seconds.</p>'
    "</body></html>"
).encode()


async def server_full(scope, receive, send) -> None:
    """Uvicorn's answer past `limit_concurrency`, in the room's words rather than "Service Unavailable"."""
    await send(
        {
            "type": "http.response.start",
            "status": 503,
            "headers": [
                (b"content-type", b"text/html; charset=utf-8"),
                (b"content-length", str(len(SERVER_FULL_PAGE)).encode()),
                (b"retry-after", b"10"),
                (b"cache-control", b"no-store"),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": SERVER_FULL_PAGE, "more_body": False})


def open_files_limit() -> int:
    """The soft open-file limit, raised to the hard one where the system allows (POSIX; Windows
    has no such per-process limit for sockets: 8,192 is assumed)."""
    try:
        import resource
    except ImportError:  # Windows
        return 8192
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    for wanted in (65536, 10240):  # macOS refuses more than OPEN_MAX (10,240) even when hard is unlimited
        if hard != resource.RLIM_INFINITY:
            wanted = min(wanted, hard)
        if soft == resource.RLIM_INFINITY or soft >= wanted:
            break
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            soft = wanted
            break
        except (ValueError, OSError):
            continue
    return 65536 if soft == resource.RLIM_INFINITY else soft


def bounded(kwargs: dict[str, Any], *, open_files: int) -> dict[str, Any]:
    """Uvicorn's settings as Streamlit computed them, with the inbound and connection bounds."""
    return {
        **kwargs,
        "ws_max_size": min(kwargs.get("ws_max_size") or sys.maxsize, config.ws_inbound_max_bytes()),
        "limit_concurrency": config.max_connections(open_files),
    }


def install() -> None:
    """Wrap Streamlit's uvicorn settings (read when the server starts, after this) and the page
    uvicorn answers past the connection cap."""
    import importlib

    from streamlit.web.server.starlette import starlette_server

    for name in ("h11_impl", "httptools_impl"):
        try:
            module = importlib.import_module(f"uvicorn.protocols.http.{name}")
        except ImportError:  # httptools is optional
            continue
        module.service_unavailable = server_full

    computed = starlette_server._get_uvicorn_config_kwargs  # fails loudly if Streamlit renames it
    open_files = open_files_limit()
    starlette_server._get_uvicorn_config_kwargs = lambda: bounded(computed(), open_files=open_files)


def main() -> None:
    install()
    from streamlit.web import cli

    cli.main(prog_name="streamlit")  # the command line Streamlit sees, as `python -m streamlit`


if __name__ == "__main__":
    main()
