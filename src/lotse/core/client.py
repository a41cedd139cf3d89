"""The address of the person in front of the browser, also behind a reverse proxy.

Production runs behind a proxy (nginx, a load balancer): ``REMOTE_ADDR`` is then the proxy's
address, and login lockouts, rate limits and audit events would all see one "client". The proxy
appends the address it saw to ``X-Forwarded-For``; only the entries added by proxies we trust
can be believed, since a client may send any ``X-Forwarded-For`` it likes. So the header is read
from the right, skipping our own proxies, and the first address that is not one of them is the
client (the scheme of django-ipware's "right-most untrusted", in a few lines).

``LOTSE_TRUSTED_PROXIES`` lists the proxies (addresses or CIDR networks). Empty (the default)
means no proxy: ``REMOTE_ADDR`` is the client and the header is ignored.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import Any

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def trusted_networks() -> tuple[Network, ...]:
    return _networks(tuple(getattr(settings, "LOTSE_TRUSTED_PROXIES", ())))


def _parse(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip()
    # "[2001:db8::1]:443" and "203.0.113.7:51234" appear when a proxy adds the port.
    if value.startswith("[") and "]" in value:
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return any(address in network for network in trusted_networks())


def client_ip(request: Any) -> str | None:
    """The client's address: ``REMOTE_ADDR`` unless it is a trusted proxy (see module doc)."""
    meta = getattr(request, "META", {})
    remote = _parse(meta.get("REMOTE_ADDR", "") or "")
    if remote is None:
        return None
    if not trusted_networks() or not _trusted(remote):
        return str(remote)
    forwarded = meta.get("HTTP_X_FORWARDED_FOR", "") or ""
    for entry in reversed(forwarded.split(",")):
        address = _parse(entry)
        if address is None:
            # Garbage in the chain: nothing left of it can be believed; the last proxy is
            # the best we know.
            break
        if not _trusted(address):
            return str(address)
    # Every hop is one of ours (or the header is missing): the request came from inside.
    return str(remote)


def axes_client_ip(request: Any) -> str:
    """AXES_CLIENT_IP_CALLABLE: axes keys lockouts on this address."""
    return client_ip(request) or ""
