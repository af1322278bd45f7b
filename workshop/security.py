"""Tokens, codes, rate limits.

Facilitator and participant tokens are 192-bit random secrets: a keyed SHA-256 (HMAC) compared in
constant time protects them; a slow password hash (argon2, 64 MiB a check) would only hand a
stranger on the Wi-Fi a way to exhaust the server's memory. Hashes made by earlier versions
(argon2, in old databases and bundles) still verify, one at a time and only for a client under
its failure limit.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Callable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from workshop import config
from workshop.errors import AccessDenied, SlowDown

# No 0/O, 1/I/L: codes are read aloud and typed on phones.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6

_hasher = PasswordHasher()
_FACILITATOR_KEY = b"thinkdo facilitator token v1"  # domain separation, not a secret: the token is
_FACILITATOR_PREFIX = "hmac-sha256$"
_legacy_checks = threading.BoundedSemaphore(1)  # argon2 checks at once, whatever the load


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_token() -> str:
    """A long random bearer token for a URL."""
    return secrets.token_urlsafe(24)


def hash_facilitator_token(token: str) -> str:
    """Microseconds, no memory: the token is random, so no key stretching is needed."""
    digest = hmac.new(_FACILITATOR_KEY, token.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()
    return _FACILITATOR_PREFIX + digest


def is_legacy_hash(stored_hash: str) -> bool:
    """True for an argon2 hash from an earlier version (slow and memory-hungry to check)."""
    return not stored_hash.startswith(_FACILITATOR_PREFIX)


class Busy(Exception):
    """A legacy check could not start: another one is running (the caller asks to retry)."""


def verify_facilitator_token(stored_hash: str, token: str) -> bool:
    """Constant-time comparison. A legacy argon2 hash is checked one at a time; a check that
    cannot start within half a second raises Busy rather than queue (no pile of 64 MiB checks)."""
    if not token or len(token) > 200:
        return False
    if not is_legacy_hash(stored_hash):
        return hmac.compare_digest(stored_hash, hash_facilitator_token(token))
    if not _legacy_checks.acquire(timeout=0.5):
        raise Busy()
    try:
        return _hasher.verify(stored_hash, token)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    finally:
        _legacy_checks.release()


def hash_participant_token(token: str) -> str:
    """SHA-256 is enough for a 192-bit random token and lets us look the participant up by hash."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def pseudonym_key(master: bytes, workshop_secret: str) -> str:
    """The workshop's pseudonymisation key: its own secret (in the database) keyed with the master
    key (outside it); neither alone reproduces the pseudonyms."""
    return hmac.new(master, workshop_secret.encode("utf-8"), hashlib.sha256).hexdigest()


def keyed_id(secret: str, value: str, *, prefix: str = "c") -> str:
    """A stable pseudonymous id: HMAC with the workshop's secret, never a plain hash of a name."""
    digest = hmac.new(secret.encode(), value.encode("utf-8"), hashlib.sha256).hexdigest()
    return f"{prefix}-{digest[:12]}"


def _drop_stale(events: dict[str, list[float]], now: float, window: float) -> dict[str, list[float]]:
    """Keys whose last event is older than the window, dropped: bounded memory under rotating addresses."""
    return {k: v for k, v in events.items() if v and now - v[-1] < window}


class RateLimiter:
    """Counts failures per client key; past `free` recent failures a client waits longer before
    its next attempt is even checked. attempt() counts an attempt *before* it is checked, so a
    burst of simultaneous tries cannot all slip through; a success clears the client's count."""

    def __init__(
        self,
        *,
        free: int = 3,
        base_delay: float = 1.0,
        max_delay: float = 30.0,
        window: float = 600.0,
        max_clients: int = 10_000,
    ):
        self.free, self.base_delay, self.max_delay, self.window = free, base_delay, max_delay, window
        self.max_clients = max_clients
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> list[float]:
        kept = [t for t in self._failures.get(key, []) if now - t < self.window]
        self._failures[key] = kept
        return kept

    def _wait(self, recent: list[float], now: float) -> float:
        if len(recent) < self.free:
            return 0.0
        wait = min(self.max_delay, self.base_delay * 2 ** (len(recent) - self.free))
        return max(0.0, recent[-1] + wait - now)

    def delay_for(self, key: str, *, now: float | None = None) -> float:
        """Seconds this client must wait before its next attempt is even checked."""
        now = time.monotonic() if now is None else now
        with self._lock:
            return self._wait(self._recent(key, now), now)

    def attempt(self, key: str, *, now: float | None = None) -> float:
        """Count an attempt before checking it: 0 when it may be checked now, else seconds to wait."""
        now = time.monotonic() if now is None else now
        with self._lock:
            recent = self._recent(key, now)
            wait = self._wait(recent, now)
            if wait > 0:
                return wait
            self._record(key, now)
            return 0.0

    def failed(self, key: str, *, now: float | None = None) -> None:
        """A failure not counted by attempt() (for callers that check first)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            self._record(key, now)

    def _record(self, key: str, now: float) -> None:
        if len(self._failures) > self.max_clients:
            self._failures = _drop_stale(self._failures, now, self.window)
        self._recent(key, now).append(now)

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)


facilitator_limiter = RateLimiter()
creation_key_limiter = RateLimiter()  # wrong host keys, per address


class Throttle:
    """At most `limit` actions per `window` seconds per client key, and `total` in all (a flood
    from rotating addresses); answers how long to wait. Bounded memory: old keys are dropped."""

    def __init__(self, *, limit: int | Callable[[], int], window: float, total: int | None = None, max_clients: int = 10_000):
        self.limit, self.window, self.total, self.max_clients = limit, window, total, max_clients
        self._events: dict[str, list[float]] = {}
        self._all: list[float] = []
        self._lock = threading.Lock()

    def waiting(self, key: str, *, now: float | None = None) -> float:
        """The seconds `key` must wait before its next action (0: it may act), nothing counted."""
        now = time.monotonic() if now is None else now
        with self._lock:
            mine = self._recent(key, now)
            return mine[0] + self.window - now if len(mine) >= self._limit() else 0.0

    def _recent(self, key: str, now: float) -> list[float]:
        return [t for t in self._events.get(key, []) if now - t < self.window]

    def _limit(self) -> int:
        """A setting read at call time (config), or a number."""
        return self.limit() if callable(self.limit) else self.limit

    def allow(self, key: str, *, now: float | None = None) -> float:
        """0 and the action is counted, or the seconds to wait (nothing counted)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            mine = self._recent(key, now)
            self._all = [t for t in self._all if now - t < self.window]
            if len(mine) >= self._limit():
                return mine[0] + self.window - now
            if self.total is not None and len(self._all) >= self.total:
                return self._all[0] + self.window - now
            if len(self._events) > self.max_clients:
                self._events = _drop_stale(self._events, now, self.window)
            mine.append(now)
            if self.total is not None:
                self._all.append(now)
            self._events[key] = mine
            return 0.0


# A room behind one address (a venue's NAT in front of a hosted server) joins all its phones in a
# few minutes, a conference 1,000 of them (measured: 300 per 10 min refused 400 of 1,000 joins):
# per-address joins are generous (WORKSHOP_JOINS_PER_ADDRESS, per server, per 10 minutes), and
# a workshop holds at most LIMITS["participants_per_workshop"] anyway. Creation is rare and costs more.
join_throttle = Throttle(limit=config.joins_per_address, window=600.0)


def check_creation_key(typed: str, *, client: str = "local", limiter: RateLimiter | None = None) -> None:
    """Hosted use: creating a workshop needs the host's key (compared in constant time). With a
    `limiter`, a client past its failures waits before its next key is even compared (a script
    guessing keys is slowed to a few a minute)."""
    expected = config.creation_key()
    if not expected:
        return
    wait = limiter.delay_for(client) if limiter else 0
    if wait > 0:
        raise SlowDown("err.slow_down", seconds=int(wait) + 1)
    if not hmac.compare_digest(expected.encode(), (typed or "").encode()):
        if limiter:
            limiter.failed(client)
        raise AccessDenied("err.creation_key")


create_throttle = Throttle(limit=5, window=600.0, total=60)
# Workshop codes (31^6) probed from one address: a room behind one address mistypes a few, a
# script trying codes is slowed from ~100 a second to 60 per 10 minutes.
code_probe_throttle = Throttle(limit=60, window=600.0)


_DUMMY_HASH = hash_facilitator_token(new_token())


def admit_facilitator(stored: str | None, token: str, *, client: str = "local", limiter: RateLimiter | None = None) -> str | None:
    """Let a facilitator in, or raise AccessDenied (wrong key or unknown code: the refusal says
    nothing more) or SlowDown. Returns the hash to store instead of a legacy one (None otherwise).

    `stored` None (an unknown code) is checked against a dummy hash, so timing reveals nothing.
    With a `limiter`: a client past its failure limit is told to wait after a wrong token, but the
    right token always gets in (checking it costs microseconds). A legacy argon2 hash is checked
    only when the client is under its limit, the attempt counted first."""
    legacy = is_legacy_hash(stored or _DUMMY_HASH)
    if limiter and legacy:
        wait = limiter.attempt(client)
        if wait > 0:
            raise SlowDown("err.slow_down", seconds=int(wait) + 1)
    try:
        valid = verify_facilitator_token(stored or _DUMMY_HASH, token or "")
    except Busy:
        raise SlowDown("err.slow_down", seconds=1) from None
    if not valid or stored is None:
        if limiter and not legacy:
            wait = limiter.delay_for(client)
            if wait > 0:
                raise SlowDown("err.slow_down", seconds=int(wait) + 1)
            limiter.failed(client)
        raise AccessDenied("err.facilitator")
    if limiter:
        limiter.succeeded(client)
    return hash_facilitator_token(token) if legacy else None
