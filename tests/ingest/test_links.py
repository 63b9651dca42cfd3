"""Articles by link, through a real HTTP server on 127.0.0.1 serving real news pages: the Python
API, the CLI and every refusal (one typed line, nothing stored)."""
import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT
from site_server import serve

@pytest.fixture(scope="module")
def site():
    server = serve("127.0.0.1")
    yield server
    server.shutdown()


@pytest.fixture()
def link_bot(tmp_path, seed_bot):
    from assistant import Assistant
    from assistant.settings import get_settings

    return Assistant(index_dir=tmp_path / "index", settings=get_settings(allow_private_urls=True, url_timeout=1.0),
                     reader=seed_bot.reader, ranker=seed_bot.ranker)


def test_add_url_indexes_a_real_page_and_answers_from_it(site, link_bot):
    doc = link_bot.add_url(site.base + "/europa")
    # the page names space.com as its canonical address, another site than the one it came from
    assert doc.id == site.base + "/europa" and doc.metadata["source"] == site.base + "/europa"
    assert doc.title == "The Weird Plumes of Jupiter's Moon Europa Are Spewing Water Vapor"
    assert doc.metadata["author"] == "Mike Wall" and doc.metadata["date"] == "2019-11-18"
    assert "Subscribe" not in doc.text and "Hubble Space Telescope has spotted" in doc.text
    answer = link_bot.answer("Who is the study lead author?", doc_ids=[doc.id])
    assert answer.text == "Lucas Paganini"
    quote = answer.quotes[0]
    assert link_bot.document(doc.id).text[quote.start:quote.end] == quote.text and "Lucas Paganini" in quote.text
    assert link_bot.answer("Who wrote this?", doc_ids=[doc.id]).text == "Mike Wall"
    assert link_bot.answer("What is the source of this article?", doc_ids=[doc.id]).text == f"Space.com, {doc.id}"


def test_canonical_url_is_the_id_and_an_unchanged_page_is_skipped(site, link_bot):
    doc = link_bot.add_url(site.base + "/story?utm_source=feed")
    assert doc.id == site.base + "/story/bridge" and doc.metadata["source"] == site.base + "/story?utm_source=feed"
    report = link_bot.add_documents([{"url": site.base + "/story"}])
    assert report.skipped == [doc.id] and not report.indexed and not report.failed
    assert [d.id for d in link_bot.documents()] == [doc.id]
    assert "12,000" in link_bot.answer("How many cars are expected to cross the bridge?", doc_ids=[doc.id]).text
    # a canonical address on another site does not become the id
    other = link_bot.add_url(site.base + "/elsewhere")
    assert other.id == site.base + "/elsewhere" and other.metadata["url"] == other.id


def test_redirects_plain_text_and_charsets(site, link_bot):
    doc = link_bot.add_url(site.base + "/go")
    assert doc.metadata["source"] == site.base + "/europa"
    plain = link_bot.add_url(site.base + "/plain")
    assert plain.text == "Ferry strike ends\n\nThe ferry strike ended on Friday.\n"     # stored as given
    assert "Café owners in Zürich" in link_bot.add_url(site.base + "/latin1").text
    by_name = site.base.replace("127.0.0.1", "localhost")
    assert link_bot.add_url(by_name + "/plain").metadata["source"] == by_name + "/plain"
    assert site.hosts[-1] == by_name.removeprefix("http://")     # the name asked for, not the address


@pytest.mark.parametrize("path, message", [
    ("/missing", "not found (HTTP 404)"),
    ("/slow", "timed out"),
    ("/big", "the page is 22,000,026 bytes; the limit is 5,000,000"),
    ("/big-unsized", "larger than the limit of 5,000,000 bytes"),
    ("/report.pdf", "not an HTML page or plain text (a PDF)"),
    ("/loop", "more than 5 redirects"),
    ("/empty", "the page is empty"),
])
def test_each_failure_is_one_typed_line_and_stores_nothing(site, link_bot, path, message):
    from assistant import UrlFetchError

    before = link_bot.documents()
    with pytest.raises(UrlFetchError) as err:
        link_bot.add_url(site.base + path)
    text = str(err.value)
    assert text.startswith(site.base + path + ": ") and message in text and "\n" not in text, text
    assert link_bot.documents() == before


def test_tls_error_is_reported(site, link_bot):
    from assistant import UrlFetchError

    with pytest.raises(UrlFetchError, match="TLS error"):
        link_bot.add_url(site.base.replace("http://", "https://") + "/europa")   # a plain-HTTP server


def test_loopback_refused_without_the_setting(site, tmp_path, seed_bot):
    from assistant import Assistant, UrlFetchError

    bot = Assistant(index_dir=tmp_path / "index", reader=seed_bot.reader, ranker=seed_bot.ranker)
    assert not bot.settings.allow_private_urls
    hits = len(site.hits)
    for url in (site.base + "/europa", site.base.replace("127.0.0.1", "localhost") + "/europa"):
        with pytest.raises(UrlFetchError, match="is a loopback address; links may reach public addresses only"):
            bot.add_url(url)
    assert len(site.hits) == hits and bot.documents() == []       # refused before connecting


def test_a_redirect_to_loopback_is_refused(site, tmp_path, seed_bot, monkeypatch):
    """Every hop is checked. The first server stands for a public site: 127.0.0.2 is let through by
    the guard in this test only; its redirect to 127.0.0.1 is refused, and nothing is fetched there."""
    from assistant import Assistant, UrlFetchError
    from assistant.ingest import url_guard

    public = serve("127.0.0.2", loopback=site.base)
    real = url_guard.refusal
    monkeypatch.setattr(url_guard, "refusal", lambda a: None if a == "127.0.0.2" else real(a))
    bot = Assistant(index_dir=tmp_path / "index", reader=seed_bot.reader, ranker=seed_bot.ranker)
    hits = len(site.hits)
    try:
        with pytest.raises(UrlFetchError) as err:
            bot.add_url(public.base + "/to-loopback")
    finally:
        public.shutdown()
    assert f"redirected to {site.base}/europa: refused: 127.0.0.1 is a loopback address" in str(err.value)
    assert public.hits == ["/to-loopback"] and len(site.hits) == hits and bot.documents() == []


@pytest.mark.parametrize("address, refused", [
    ("127.0.0.1", "loopback"), ("::1", "loopback"), ("::ffff:127.0.0.1", "loopback"), ("10.1.2.3", "private"),
    ("192.168.0.1", "private"), ("172.16.5.4", "private"), ("169.254.169.254", "link-local"),
    ("fe80::1%eth0", "link-local"), ("0.0.0.0", "unspecified"), ("224.0.0.1", "multicast"),
    ("240.0.0.1", "address"), ("100.64.0.1", "not a public"), ("fc00::1", "private"),
    ("93.184.215.14", None), ("2606:4700::1111", None),
])
def test_address_guard(address, refused):
    from assistant.ingest.url_guard import refusal

    got = refusal(address)
    assert (got is None) if refused is None else (refused in got), got


@pytest.mark.parametrize("url, message", [
    ("ftp://example.com/a", "only http:// and https:// links"), ("file:///etc/passwd", "only http:// and https://"),
    ("http://", "names no host"), ("", "the link is empty"), ("https://x.org/" + "a" * 3000, "the limit is 2,000"),
    ("http://example.com:99999/", "not a valid link"), ("http://[::1/", "not a valid link"),
])
def test_bad_links(url, message, tmp_path, seed_bot):
    from assistant import Assistant, UrlFetchError

    bot = Assistant(index_dir=tmp_path / "index", reader=seed_bot.reader, ranker=seed_bot.ranker)
    with pytest.raises(UrlFetchError, match=message):
        bot.add_url(url)


def test_cli_ingests_links_and_reports_refusals(site, tmp_path):
    env = {**os.environ, "ASSISTANT_ALLOW_PRIVATE_URLS": "1"}
    index = tmp_path / "index"
    run = [sys.executable, "-m", "assistant", "ingest", "--index", str(index)]
    out = subprocess.run(run + [site.base + "/tories", site.base + "/report.pdf"], capture_output=True, text=True,
                         env=env, cwd=ROOT, timeout=300)
    assert out.returncode == 1 and "1 of 2 links indexed" in out.stdout, out.stdout + out.stderr
    errors = [line for line in out.stderr.splitlines() if line.startswith("error:")]
    assert errors == [f"error: {site.base}/report.pdf: not an HTML page or plain text (a PDF); "
                      "save the article as .txt or .html and add the file"]
    listed = subprocess.run([sys.executable, "-m", "assistant", "documents", "--index", str(index), "--json"],
                            capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    docs = json.loads(listed.stdout)
    assert [d["id"] for d in docs] == [site.base + "/tories"]
    assert docs[0]["title"] == "UK Tories under fire for Twitter name switch during debate"

    refused = subprocess.run(run + [site.base + "/europa"], capture_output=True, text=True, cwd=ROOT, timeout=300,
                             env={k: v for k, v in os.environ.items() if k != "ASSISTANT_ALLOW_PRIVATE_URLS"})
    assert refused.returncode == 1 and "0 of 1 links indexed" in refused.stdout
    assert "127.0.0.1 is a loopback address" in refused.stderr
