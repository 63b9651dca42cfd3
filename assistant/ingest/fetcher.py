"""Fetch an article by its link: http(s) only, bounded in time and size, HTML or plain text only.
Redirects are followed here, not by the client, so that every hop's address is checked, and each
connection goes to the address that was checked (a name that resolves again to another address
between the check and the connection cannot slip past it)."""
from __future__ import annotations

import re
import time
from dataclasses import dataclass

import httpx

from ..errors import UrlFetchError
from ..text.controls import one_line
from .url_guard import checked_addresses

TYPES = {"text/html": "html", "application/xhtml+xml": "html", "text/plain": "text"}
NAMED_TYPES = {"application/pdf": "a PDF", "application/json": "JSON", "application/xml": "XML",
               "text/xml": "XML", "application/zip": "a zip archive"}
REDIRECTS = {301, 302, 303, 307, 308}
MAX_URL_CHARS = 2000
HOST = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9])?)*\.?$")
USER_AGENT = "news-assistant/0.1 (article reader)"
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


@dataclass(frozen=True)
class FetchLimits:
    timeout: float = 10.0          # seconds to connect, and to wait for each piece of the reply
    max_bytes: int = 5_000_000     # of the page as decoded (a compressed page counts unpacked)
    max_redirects: int = 5
    allow_private: bool = False

    @property
    def total_seconds(self) -> float:
        """The whole fetch: a server that sends a byte now and then cannot hold it for ever."""
        return self.timeout * 3


@dataclass(frozen=True)
class Page:
    url: str        # where it was found, after redirects
    fmt: str        # "html" or "text"
    text: str


def shown_url(url: object, limit: int = 150) -> str:
    text = one_line(str(url))
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Failed(Exception):
    """Why one request gave no page; `fetch` names the link in front."""


def check_url(url: object) -> httpx.URL:
    """The link parsed, or `UrlFetchError` for what is not an absolute http(s) link."""
    if not isinstance(url, str):
        raise UrlFetchError(f"a link must be a string, not {type(url).__name__}")
    url = url.strip()
    if not url:
        raise UrlFetchError("the link is empty")
    if len(url) > MAX_URL_CHARS:
        raise UrlFetchError(f"{shown_url(url)}: the link is {len(url):,} characters long; the limit is {MAX_URL_CHARS:,}")
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError, TypeError) as exc:
        raise UrlFetchError(f"{shown_url(url)}: not a valid link ({one_line(str(exc))})") from None
    try:
        _check_parsed(parsed)
    except _Failed as exc:
        raise UrlFetchError(f"{shown_url(url)}: {exc}") from None
    return parsed


def _check_parsed(url: httpx.URL) -> None:
    if url.scheme not in ("http", "https"):
        raise _Failed("only http:// and https:// links can be added")
    if not url.host:
        raise _Failed("the link names no host")
    host = url.raw_host.decode("ascii", errors="replace")       # an international name as IDNA
    if not (HOST.match(host) or ":" in host):                    # ":": an IPv6 address, parsed already
        raise _Failed(f"not a valid link (the host name {one_line(url.host)[:80]!r})")
    if url.port is not None and not 0 < url.port < 65536:
        raise _Failed(f"not a valid link (port {url.port})")


def fetch(url: str, limits: FetchLimits = FetchLimits()) -> Page:
    """The page at `url`, after at most `limits.max_redirects` redirects. Every failure is one
    `UrlFetchError` naming the link."""
    current = check_url(url)
    deadline = time.monotonic() + limits.total_seconds
    headers = {"User-Agent": USER_AGENT, "Accept": "text/html, application/xhtml+xml, text/plain;q=0.9"}
    # trust_env=False: no proxy from the environment, so the connection goes where it was checked
    with httpx.Client(timeout=httpx.Timeout(limits.timeout), follow_redirects=False, trust_env=False,
                      headers=headers) as client:
        for hop in range(limits.max_redirects + 1):
            where = "" if hop == 0 else f"redirected to {shown_url(current)}: "
            try:
                found = _get(client, current, limits, deadline)
            except (_Failed, UrlFetchError) as exc:
                raise UrlFetchError(f"{shown_url(url)}: {where}{exc}") from None
            if isinstance(found, Page):
                return found
            current = found
        raise UrlFetchError(f"{shown_url(url)}: more than {limits.max_redirects} redirects")


def _get(client: httpx.Client, url: httpx.URL, limits: FetchLimits, deadline: float) -> Page | httpx.URL:
    """One request: the page, or the URL a redirect points to. The name's addresses are tried in
    turn while a connection cannot be made (an IPv6 address first, on a network without IPv6)."""
    _check_parsed(url)
    port = url.port or (443 if url.scheme == "https" else 80)
    host = url.raw_host.decode("ascii")
    addresses = checked_addresses(host, port, limits.timeout, limits.allow_private)
    for n, address in enumerate(addresses, 1):
        request = client.build_request(
            "GET", url.copy_with(host=address), headers={"Host": url.netloc.decode("ascii")},
            extensions={"sni_hostname": host} if url.scheme == "https" else {})   # TLS checks the name
        try:
            response = client.send(request, stream=True)
            try:
                return _read(response, url, limits, deadline)
            finally:
                response.close()
        except httpx.TimeoutException:
            raise _Failed(f"no answer within {limits.timeout:g} s (timed out)") from None
        except httpx.ConnectError as exc:
            reason = one_line(str(exc))[:200]
            if re.search(r"ssl|tls|certificate", reason, re.IGNORECASE):
                raise _Failed(f"TLS error ({reason})") from None
            if n == len(addresses):
                raise _Failed(f"cannot connect ({reason or 'connection refused'})") from None
        except httpx.HTTPError as exc:
            raise _Failed(f"the connection failed ({type(exc).__name__}: {one_line(str(exc))[:200]})") from None
    raise _Failed("the name has no address")


def _read(response: httpx.Response, url: httpx.URL, limits: FetchLimits, deadline: float) -> Page | httpx.URL:
    status = response.status_code
    if status in REDIRECTS:
        location = response.headers.get("location", "").strip()
        if not location:
            raise _Failed(f"a redirect (HTTP {status}) without a Location")
        try:
            return url.join(location)
        except (httpx.InvalidURL, ValueError) as exc:
            raise _Failed(f"a redirect to an invalid link ({one_line(str(exc))[:100]})") from None
    if status == 404 or status == 410:
        raise _Failed(f"not found (HTTP {status})")
    if not 200 <= status < 300:
        raise _Failed(f"the server answered HTTP {status} {one_line(response.reason_phrase)[:60]}".rstrip())
    ctype = response.headers.get("content-type", "").split(";")[0].strip().lower()
    fmt = TYPES.get(ctype)
    if fmt is None:
        what = NAMED_TYPES.get(ctype) or (one_line(ctype)[:80] if ctype else "no content type")
        raise _Failed(f"not an HTML page or plain text ({what}); save the article as .txt or .html and add the file")
    length = response.headers.get("content-length", "")
    if length.isdigit() and int(length) > limits.max_bytes:
        raise _Failed(f"the page is {int(length):,} bytes; the limit is {limits.max_bytes:,}")
    body = bytearray()
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > limits.max_bytes:
            raise _Failed(f"the page is larger than the limit of {limits.max_bytes:,} bytes")
        if time.monotonic() > deadline:
            raise _Failed(f"the page took more than {limits.total_seconds:g} s to arrive")
    return Page(str(url), fmt, _decode(bytes(body), response.charset_encoding, fmt))


def _decode(body: bytes, charset: str | None, fmt: str) -> str:
    """Text by the charset the server or the page names, else UTF-8. A web page in a legacy
    charset that names none is read as Windows-1252, which never fails; plain text must decode."""
    if not body.strip():
        raise _Failed("the page is empty")
    named = [charset] if charset else []
    if fmt == "html" and not named:
        meta = META_CHARSET.search(body[:4096])
        named = [meta.group(1).decode("ascii")] if meta else []
    for encoding in named + ["utf-8"]:
        try:
            return body.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    if fmt == "html":
        return body.decode("cp1252", errors="replace")
    raise _Failed("the text is not UTF-8 and names no charset")
