"""The client's address behind a known number of trusted reverse proxies."""

import ipaddress


def _is_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def client_address(meta, proxy_count: int) -> str:
    """The address the request came from, as axes and the logs should see it.

    With no trusted proxy, REMOTE_ADDR. Behind ``proxy_count`` trusted proxies, each of
    which appends the address it received the request from to X-Forwarded-For, the client
    is the right-most address that none of them added: the ``proxy_count``-th from the
    right. Anything a client wrote further left is ignored, so it cannot choose its own
    address; a header too short or not an address falls back to REMOTE_ADDR.
    """
    remote = meta.get("REMOTE_ADDR", "")
    if proxy_count <= 0:
        return remote
    forwarded = [a.strip() for a in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if len(forwarded) < proxy_count:
        return remote
    candidate = forwarded[-proxy_count]
    return candidate if _is_address(candidate) else remote


def remote_addr(request) -> str:
    """For django-axes: the address ``ClientAddressMiddleware`` settled on."""
    return request.META.get("REMOTE_ADDR", "")
