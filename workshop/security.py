"""Tokens (facilitator: argon2 hash; participant: SHA-256 of a 192-bit secret), codes, rate limit."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

# No 0/O, 1/I/L: codes are read aloud and typed on phones.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6

_hasher = PasswordHasher()


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_token() -> str:
    """A long random bearer token for a URL."""
    return secrets.token_urlsafe(24)


def hash_facilitator_token(token: str) -> str:
    return _hasher.hash(token)


def verify_facilitator_token(stored_hash: str, token: str) -> bool:
    """argon2 verification (constant time inside the library); never raises."""
    if not token:
        return False
    try:
        return _hasher.verify(stored_hash, token)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def hash_participant_token(token: str) -> str:
    """SHA-256 is enough for a 192-bit random token and lets us look the participant up by hash."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def keyed_id(secret: str, value: str, *, prefix: str = "c") -> str:
    """A stable pseudonymous id: HMAC with the workshop's secret, never a plain hash of a name."""
    digest = hmac.new(secret.encode(), value.encode("utf-8"), hashlib.sha256).hexdigest()
    return f"{prefix}-{digest[:12]}"


class RateLimiter:
    """Counts failures per client key; after `free` failures each new attempt waits longer."""

    def __init__(self, *, free: int = 3, base_delay: float = 1.0, max_delay: float = 30.0, window: float = 600.0):
        self.free, self.base_delay, self.max_delay, self.window = free, base_delay, max_delay, window
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> list[float]:
        kept = [t for t in self._failures.get(key, []) if now - t < self.window]
        self._failures[key] = kept
        return kept

    def delay_for(self, key: str, *, now: float | None = None) -> float:
        """Seconds this client must wait before its next attempt is even checked."""
        now = time.monotonic() if now is None else now
        with self._lock:
            recent = self._recent(key, now)
            if len(recent) < self.free:
                return 0.0
            wait = min(self.max_delay, self.base_delay * 2 ** (len(recent) - self.free))
            return max(0.0, recent[-1] + wait - now)

    def failed(self, key: str, *, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            self._recent(key, now).append(now)

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)


facilitator_limiter = RateLimiter()
