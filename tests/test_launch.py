"""The server's bounds that Streamlit has no setting for (workshop/launch.py)."""

from __future__ import annotations

import asyncio
import threading

from workshop import config, launch


def test_a_browsers_messages_are_bounded_below_the_apps_own(monkeypatch):
    monkeypatch.delenv("WORKSHOP_WS_MAX_KB", raising=False)
    monkeypatch.delenv("WORKSHOP_MAX_CONNECTIONS", raising=False)
    computed = {"ws_max_size": 10 * 1024 * 1024, "ws_per_message_deflate": True, "ws": "websockets-sansio"}
    bounded = launch.bounded(computed, open_files=1024)
    assert bounded["ws_max_size"] == 1088 * 1024 and bounded["ws_per_message_deflate"] is True
    assert bounded["limit_concurrency"] == 824  # a laptop's 1,024 open files, 200 kept for the rest
    assert computed["ws_max_size"] == 10 * 1024 * 1024  # Streamlit's own settings untouched
    monkeypatch.setenv("WORKSHOP_MAX_CONNECTIONS", "5000")
    assert launch.bounded(computed, open_files=1024)["limit_concurrency"] == 824  # never past the files
    assert config.max_connections(256) == 64  # macOS' default still serves a small room
    monkeypatch.setenv("WORKSHOP_MAX_CONNECTIONS", "300")
    assert config.max_connections(20000) == 300


def test_the_open_file_limit_is_raised_as_far_as_the_system_allows():
    resource = __import__("resource")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (256, hard))
        got = launch.open_files_limit()
        assert got == resource.getrlimit(resource.RLIMIT_NOFILE)[0] and got == min(hard, 65536)
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_past_the_cap_the_answer_is_a_page_in_the_rooms_language():
    sent = []

    async def send(message):
        sent.append(message)

    # On a thread of its own: once a browser test ran, Playwright owns this thread's event loop.
    runner = threading.Thread(target=lambda: asyncio.run(launch.server_full({"type": "http"}, None, send)))
    runner.start()
    runner.join(10)
    start, body = sent
    headers = dict(start["headers"])
    assert start["status"] == 503 and headers[b"content-type"].startswith(b"text/html")
    assert int(headers[b"content-length"]) == len(body["body"]) and "complet" in body["body"].decode()
