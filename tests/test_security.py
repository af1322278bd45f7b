"""Access: facilitator tokens (keyed hash, constant time; legacy argon2 bounded), slowed-down guessing,
HMAC pseudonyms."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from workshop import db as dbmod
from workshop import security, store
from workshop.errors import AccessDenied, NotFound

ROOT = Path(__file__).resolve().parent.parent


def test_rate_limiter_slows_down_repeated_failures():
    limiter = security.RateLimiter(free=3, base_delay=1.0, max_delay=30.0)
    for n in range(3):
        assert limiter.delay_for("1.2.3.4", now=100.0 + n) == 0.0
        limiter.failed("1.2.3.4", now=100.0 + n)
    assert limiter.delay_for("1.2.3.4", now=102.0) == pytest.approx(1.0)
    limiter.failed("1.2.3.4", now=103.0)
    assert limiter.delay_for("1.2.3.4", now=103.0) == pytest.approx(2.0)
    assert limiter.delay_for("5.6.7.8", now=103.0) == 0.0  # per client
    assert limiter.delay_for("1.2.3.4", now=103.0 + 700) == 0.0  # window passed
    limiter.failed("9.9.9.9", now=1.0)
    limiter.succeeded("9.9.9.9")
    assert limiter.delay_for("9.9.9.9", now=2.0) == 0.0


def test_facilitator_hash_is_keyed_and_verification_never_raises():
    token = security.new_token()
    stored = security.hash_facilitator_token(token)
    assert stored.startswith("hmac-sha256$") and token not in stored and not security.is_legacy_hash(stored)
    assert security.verify_facilitator_token(stored, token)
    for wrong in ("", "x", token[:-1], "💥" * 50, "a" * 10_000):
        assert not security.verify_facilitator_token(stored, wrong)
    assert not security.verify_facilitator_token("not-a-hash", token)


def test_legacy_argon2_hashes_still_verify():
    from argon2 import PasswordHasher

    token = security.new_token()
    legacy = PasswordHasher().hash(token)
    assert security.is_legacy_hash(legacy)
    assert security.verify_facilitator_token(legacy, token)
    assert not security.verify_facilitator_token(legacy, token + "x")


@pytest.mark.sqlite_only
def test_simultaneous_wrong_keys_on_a_legacy_hash_are_counted_before_the_check(db, db_path, monkeypatch):
    """60 wrong keys at once from one client: only the free attempts reach argon2 (64 MiB each)."""
    from concurrent.futures import ThreadPoolExecutor

    from argon2 import PasswordHasher

    from workshop.errors import AccessDenied, SlowDown

    workshop, token = store.create_workshop(db, title="Ancien")
    db.conn.execute("UPDATE workshops SET facilitator_hash = ? WHERE id = ?", [PasswordHasher().hash(token), workshop.id])
    checks = []

    class CountingHasher(PasswordHasher):
        def verify(self, *args):
            checks.append(1)
            return super().verify(*args)

    monkeypatch.setattr(security, "_hasher", CountingHasher())
    limiter = security.RateLimiter(free=3, base_delay=60.0)

    def attempt(n: int) -> str:
        conn = dbmod.connect(db_path)
        try:
            store.authenticate_facilitator(conn, workshop.code, f"wrong-{n}", client="10.0.0.9", limiter=limiter)
        except SlowDown:
            return "slow"
        except AccessDenied:
            return "denied"
        finally:
            conn.close()
        return "in"

    with ThreadPoolExecutor(max_workers=20) as pool:
        outcomes = list(pool.map(attempt, range(60)))
    assert outcomes.count("denied") == 3 and outcomes.count("slow") == 57 and len(checks) == 3


def test_the_right_key_gets_in_while_its_client_is_slowed_down(db):
    from workshop.errors import SlowDown

    workshop, token = store.create_workshop(db, title="Verrou")
    limiter = security.RateLimiter(free=3, base_delay=60.0)
    for n in range(5):
        with pytest.raises(AccessDenied):
            store.authenticate_facilitator(db, workshop.code, f"wrong-{n}", client="10.0.0.7", limiter=limiter)
    with pytest.raises(SlowDown):
        store.authenticate_facilitator(db, workshop.code, "wrong-again", client="10.0.0.7", limiter=limiter)
    assert store.authenticate_facilitator(db, workshop.code, token, client="10.0.0.7", limiter=limiter).id == workshop.id
    assert limiter.delay_for("10.0.0.7") == 0.0  # a success clears the client's count


def test_keyed_ids_are_stable_and_secret_dependent():
    a = security.keyed_id("secret-1", "node:c12")
    assert a == security.keyed_id("secret-1", "node:c12") and a.startswith("c-")
    assert a != security.keyed_id("secret-2", "node:c12")
    import hashlib

    assert hashlib.sha256(b"node:c12").hexdigest()[:12] not in a  # not a plain hash


def test_console_slows_down_wrong_tokens(app_env, monkeypatch):
    conn = dbmod.connect(app_env)
    workshop, token = store.create_workshop(conn, title="Verrou")
    conn.close()
    # A long first delay so that the test does not depend on how fast the runs are.
    monkeypatch.setattr(security, "facilitator_limiter", security.RateLimiter(free=3, base_delay=60.0))
    try:
        messages = []
        for attempt in range(5):
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
            at.query_params["w"] = workshop.code
            at.query_params["k"] = f"wrong-{attempt}"
            at.switch_page("pages/console.py").run()
            assert not at.exception
            messages.append(at.error[0].value)
        assert messages[:3] == ["Accès refusé. Utilisez le lien animateur complet reçu à la création."] * 3
        assert all(m.startswith("Trop d'essais") for m in messages[3:]), messages
    finally:
        security.facilitator_limiter.succeeded("local")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["w"], at.query_params["k"] = workshop.code, token
    at.switch_page("pages/console.py").run()
    assert not at.error and at.metric


def test_console_actions_are_bound_to_its_workshop(app_env):
    """A crafted widget state on one console cannot moderate another workshop's idea."""
    conn = dbmod.connect(app_env)
    mine, token = store.create_workshop(conn, title="Le mien")
    other, _ = store.create_workshop(conn, title="L'autre")
    store.set_round(conn, other.id, "ideas", is_open=True)
    p = store.join(conn, other.code, "Eve", token="tok-eve-0000000000000000")
    idea = store.add_idea(conn, p, submission_id="eve-1", text="Ne pas toucher")
    conn.close()
    conn = dbmod.connect(app_env)
    with pytest.raises(NotFound):
        store.set_idea_hidden(conn, mine.id, idea, hidden=True)
    conn.close()
    conn = dbmod.connect(app_env)
    assert store.ideas_frame(conn, other.id)["text"].tolist() == ["Ne pas toucher"]
    conn.close()
    assert token


def test_throttle_per_client_and_in_all():
    throttle = security.Throttle(limit=2, window=60.0, total=3)
    assert throttle.allow("a", now=0.0) == 0.0 and throttle.allow("a", now=1.0) == 0.0
    assert throttle.allow("a", now=2.0) == pytest.approx(58.0)  # per client
    assert throttle.allow("b", now=2.0) == 0.0
    assert throttle.allow("c", now=3.0) == pytest.approx(57.0)  # in all: rotating addresses
    assert throttle.allow("a", now=61.0) == 0.0  # the window passed


def test_a_full_room_refuses_more_participants_clearly(db, monkeypatch):
    from workshop.errors import InvalidInput
    from workshop.model import LIMITS

    monkeypatch.setitem(LIMITS, "participants_per_workshop", 3)
    workshop, _ = store.create_workshop(db, title="Petite salle")
    for n in range(3):
        store.join(db, workshop.code, f"P{n}", token=f"tok-full-{n:016d}")
    with pytest.raises(InvalidInput) as err:
        store.join(db, workshop.code, "De trop", token="tok-full-extra-0000000")
    assert "complet (3 participants)" in err.value.message("fr")
    assert store.join(db, workshop.code, "P0", token="tok-full-0000000000000000").display_name == "P0"  # same link


def test_the_join_address_defaults_to_the_lan_not_localhost(monkeypatch):
    """With no address configured, the QR carries this machine's network address when it has
    one (phones on the same Wi-Fi can open it); loopback addresses are recognised for the warning."""
    from workshop import config, links

    monkeypatch.delenv("WORKSHOP_PUBLIC_URL", raising=False)
    monkeypatch.setenv("WORKSHOP_PORT", "8765")
    monkeypatch.setattr(config, "lan_address", lambda: "192.168.1.20")
    assert config.public_base_url() == "http://192.168.1.20:8765"
    monkeypatch.setattr(config, "lan_address", lambda: None)
    assert config.public_base_url() == "http://localhost:8765"
    monkeypatch.setenv("WORKSHOP_PUBLIC_URL", "https://atelier.example.org/")
    assert config.public_base_url() == "https://atelier.example.org"
    for url, loop in [
        ("http://localhost:8501/?code=A", True),
        ("http://127.0.0.1:8501", True),
        ("http://[::1]:8501", True),
        ("http://192.168.1.20:8501", False),
        ("https://atelier.example.org", False),
    ]:
        assert links.is_loopback(url) == loop, url
    found = config.lan_address()
    assert found is None or not links.is_loopback(f"http://{found}")  # the real lookup never answers loopback


def test_console_warns_when_the_qr_leads_to_localhost(app_env, monkeypatch):
    conn = dbmod.connect(app_env)
    workshop, token = store.create_workshop(conn, title="Boucle", public_base_url="http://localhost:8501")
    conn.close()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["w"], at.query_params["k"] = workshop.code, token
    at.switch_page("pages/console.py").run()
    assert any("localhost" in w.value and "aucun téléphone" in w.value for w in at.warning)
