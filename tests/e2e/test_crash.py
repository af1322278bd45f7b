"""Kill the server (SIGKILL) in the middle of a burst and restart it: every acknowledged row is
in the database, a participant reopening their link finds their entries, the projector comes
back by itself."""

from __future__ import annotations

import asyncio
import contextlib

from playwright.sync_api import expect

from scripts.stserver import Server
from tests.e2e.conftest import ARTIFACTS, goto, run_async
from workshop import db as dbmod
from workshop import i18n, links, store
from workshop.stclient import Session, choice_state, text_state, trigger


async def writer(base: str, token: str, name: str, acked: list, stop_after: int = 40) -> None:
    """Submit contacts through the real form until the server goes away."""
    session = Session(base, page_name="me", query={"p": token})
    with contextlib.suppress(Exception):
        async with session:
            page = await session.run()
            for k in range(stop_after):
                label = f"{name}-{k}"
                run = await session.run(
                    widgets=[
                        text_state(page.widget("text_input", "Initiales ou pseudonyme"), label),
                        choice_state(page.widget("button_group", "Cercle"), "Loisirs"),
                        trigger(page.widget("button", "Ajouter")),
                    ],
                    timeout=10,
                )
                if f"Ajouté : {label}" in run.alert_text():
                    acked.append(label)
                page = run


async def burst_then_kill(server: Server, tokens: dict[str, str], acked: list) -> None:
    tasks = [asyncio.create_task(writer(server.url, tok, name, acked)) for name, tok in tokens.items()]
    await asyncio.sleep(2.5)
    server.stop(kill=True)
    await asyncio.wait(tasks, timeout=30)


def test_sigkill_mid_burst(tmp_path, pages):
    db_path = tmp_path / "crash.db"
    conn = dbmod.open_db(db_path)
    server = Server(db_path, log=ARTIFACTS / "crash-server.log")
    workshop, _ = store.create_workshop(conn, title="Panne", public_base_url=server.url)
    store.set_round(conn, workshop.id, "contacts", is_open=True)
    tokens = {f"W{i}": f"tok-crash-{i}-000000000000" for i in range(6)}
    for name, tok in tokens.items():
        store.join(conn, workshop.code, name, token=tok)
    conn.close()
    server.start()
    try:
        wall = pages.new("projector", width=1920, height=1080)
        goto(wall, links.projector_url(workshop))
        acked: list[str] = []
        run_async(burst_then_kill(server, tokens, acked), timeout=90)
        assert acked, "nothing was acknowledged before the kill"

        conn = dbmod.connect(db_path)
        landed = {r["label"] for r in conn.query("SELECT label FROM contacts")}
        conn.close()
        assert set(acked) <= landed  # every acknowledged row survived SIGKILL

        server.start()
        # The projector tab reconnects by itself and shows the real count, no reload.
        expect(wall.locator('[data-testid="proj-contacts"] .proj-metric')).to_have_text(str(len(landed)), timeout=45_000)
        pages.shot(wall, "projector-after-restart", full_page=False)

        me = pages.new("participant", width=390, height=844)
        goto(me, links.participant_url(workshop, tokens["W0"]))
        mine = sorted(label for label in landed if label.startswith("W0-"))
        assert mine
        expect(
            me.get_by_text(f"{i18n.count(len(mine), 'me.one_contact', 'me.n_contacts')}, 1 cercle, 0 dormants")
        ).to_be_visible()
        for label in mine[:3]:
            expect(me.locator("body")).to_contain_text(f"{label} · Loisirs")
    finally:
        server.stop()
