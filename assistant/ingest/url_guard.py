"""Which addresses a link may reach. A link someone pastes must not make this machine call its own
services or its network's (server-side request forgery): loopback, private, link-local, reserved
and other non-public addresses are refused, for the name as resolved, on every redirect."""
from __future__ import annotations

import ipaddress
import socket
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from ..errors import UrlFetchError

_lookups = ThreadPoolExecutor(max_workers=4, thread_name_prefix="dns")


def refusal(address: str) -> str | None:
    """Why an address may not be reached ("a loopback address", …), or None for a public one."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])     # an IPv6 zone ("fe80::1%eth0") aside
    if ip.version == 6 and ip.ipv4_mapped is not None:       # ::ffff:127.0.0.1 is 127.0.0.1
        ip = ip.ipv4_mapped
    for reason, test in (("a loopback address", ip.is_loopback), ("a link-local address", ip.is_link_local),
                         ("the unspecified address", ip.is_unspecified), ("a multicast address", ip.is_multicast),
                         ("a private address", ip.is_private), ("a reserved address", ip.is_reserved)):
        if test:
            return reason
    return None if ip.is_global else "not a public address"


def resolve(host: str, port: int, timeout: float) -> list[str]:
    """The addresses a name resolves to (a literal address is itself), within `timeout` seconds."""
    try:
        return [str(ipaddress.ip_address(host.strip("[]")))]
    except ValueError:
        pass
    lookup = _lookups.submit(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
    try:
        found = lookup.result(timeout=timeout)
    except FutureTimeout:
        raise UrlFetchError(f"the name {host} did not resolve within {timeout:g} s") from None
    except (socket.gaierror, UnicodeError, OSError) as exc:
        raise UrlFetchError(f"the name {host} does not resolve ({getattr(exc, 'strerror', None) or exc})") from None
    addresses = list(dict.fromkeys(info[4][0] for info in found))
    if not addresses:
        raise UrlFetchError(f"the name {host} does not resolve")
    return addresses


def checked_addresses(host: str, port: int, timeout: float, allow_private: bool) -> list[str]:
    """The addresses to connect to, in the resolver's order. Every one is checked: a name that
    resolves to a public and a private address could be answered by either."""
    addresses = resolve(host, port, timeout)
    if not allow_private:
        for address in addresses:
            why = refusal(address)
            if why:
                name = host if host.strip("[]") == address else f"{host} ({address})"
                raise UrlFetchError(f"refused: {name} is {why}; links may reach public addresses only "
                                    "(ASSISTANT_ALLOW_PRIVATE_URLS=1 allows others)")
    return addresses
