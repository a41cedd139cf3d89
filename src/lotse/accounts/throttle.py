"""Throttles of sign-in and password reset, on top of django-axes' lockout.

axes locks one account for one client address after a few wrong passwords. That does not stop
a spray: one address trying one password on many accounts, or many addresses on one account.
These counters (lotse.core.ratelimit, in the shared cache) refuse further attempts when the
failures per account, per client address or over the whole system exceed their limits.
"""

from __future__ import annotations

from django.conf import settings

from lotse.core.ratelimit import Limit, exceeded, hit

GLOBAL = "*"


def _login_limits() -> tuple[tuple[Limit, str], ...]:
    return (
        (Limit("login-account", settings.LOTSE_LOGIN_FAILURES_PER_ACCOUNT, 15 * 60), "account"),
        (Limit("login-ip", settings.LOTSE_LOGIN_FAILURES_PER_IP, 15 * 60), "ip"),
        (Limit("login-all", settings.LOTSE_LOGIN_FAILURES_GLOBAL_PER_MINUTE, 60), "global"),
    )


def _keys(email: str, ip: str | None) -> dict[str, str]:
    return {"account": email.strip().lower(), "ip": ip or "-", "global": GLOBAL}


def login_throttled(*, email: str, ip: str | None) -> bool:
    """Whether a sign-in attempt is refused before the password is even checked."""
    keys = _keys(email, ip)
    return any(exceeded(limit, keys[kind]) for limit, kind in _login_limits())


def login_failure_count(*, email: str, ip: str | None) -> None:
    keys = _keys(email, ip)
    for limit, kind in _login_limits():
        hit(limit, keys[kind])


def password_reset_allowed(*, email: str, ip: str | None) -> tuple[bool, bool]:
    """(address within its limit, client address within its limit); both count the request."""
    per_ip = hit(Limit("reset-ip", settings.LOTSE_PASSWORD_RESETS_PER_IP, 3600), ip or "-")
    per_address = hit(
        Limit("reset-address", settings.LOTSE_PASSWORD_RESETS_PER_ADDRESS, 3600),
        email.strip().lower(),
    )
    return per_address, per_ip
