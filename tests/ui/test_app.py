"""The chat through Gradio: gradio_client on /chat, a real Chromium driven by Playwright, and the
app started the way the README starts it."""
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

import pytest

from conftest import ARTIFACTS, CHROMIUM_ARGS, ROOT, free_port, wait_http

CHROMIUM = "/usr/bin/chromium"
ARGS = CHROMIUM_ARGS


@pytest.fixture(scope="module")
def app_url(seed_bot):
    from assistant.ui.app import launch

    port = free_port()
    demo = launch(seed_bot, host="127.0.0.1", port=port, block=False)
    url = f"http://127.0.0.1:{port}"
    wait_http(url)
    yield url
    demo.close()


def test_chat_endpoint_streams(app_url):
    from gradio_client import Client

    client = Client(app_url, verbose=False)
    text = client.predict("Who is Japan's Chief Cabinet Secretary?", api_name="/chat")
    assert text.startswith("**Yoshihide Suga**") and "> In Tokyo, Japan’s Chief Cabinet Secretary" in text
    job = client.submit("How many Aegis destroyers does Japan have?", api_name="/chat")
    parts = list(job)
    assert len(parts) > 1 and parts[-1].startswith("**six**")
    assert "does not say" in client.predict("What is the population of Seoul?", api_name="/chat")
    assert "Error: the question is empty" in client.predict("  ", api_name="/chat")


def test_twenty_concurrent_requests(app_url):
    from gradio_client import Client

    questions = ["How many Aegis destroyers does Japan have?", "Who is Japan's Chief Cabinet Secretary?"] * 10
    expected = ["**six**", "**Yoshihide Suga**"] * 10

    def ask(q):
        return Client(app_url, verbose=False).predict(q, api_name="/chat")

    with ThreadPoolExecutor(20) as pool:
        replies = list(pool.map(ask, questions))
    assert all(r.startswith(e) for r, e in zip(replies, expected))


def test_browser(app_url, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    requests = []
    with sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(tempfile.mkdtemp(), executable_path=CHROMIUM,
                                                   headless=True, args=ARGS, viewport={"width": 1400, "height": 1000})
        page = ctx.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.goto(app_url)
        box = page.locator("#question textarea")
        box.wait_for(timeout=60_000)

        def ask(q, n):
            box.fill(q)
            box.press("Enter")
            bot = page.locator('[data-testid="bot"]')
            expect(bot).to_have_count(n, timeout=60_000)
            expect(page.locator("#status")).not_to_be_empty(timeout=60_000)
            return bot.nth(n - 1)

        reply = ask("Who is Japan's Chief Cabinet Secretary?", 1)
        quote = reply.locator("blockquote").first
        expect(quote).to_contain_text("Yoshihide Suga expressed hopes for the deal.")
        mark = page.locator("#article mark.quote").first
        expect(mark).to_have_text("In Tokyo, Japan’s Chief Cabinet Secretary Yoshihide Suga expressed hopes for the deal.")
        assert mark.inner_text() in quote.inner_text()
        page.screenshot(path=str(ARTIFACTS / "chat.png"), full_page=True)

        reply = ask("What does he believe about working with South Korea?", 2)   # "he": the person just named
        expect(reply.locator("blockquote").filter(has_text="Our government believes")).to_have_count(1)

        reply = ask("What is the population of Seoul?", 3)
        expect(reply).to_contain_text("does not say")
        expect(reply.locator("blockquote")).to_have_count(0)
        expect(page.locator("#article mark.quote")).to_have_count(0)

        article = tmp_path / "volcano.txt"
        article.write_text("Volcano erupts in Iceland\n\nThe Fagradalsfjall volcano erupted on Monday. "
                           "About 4,000 residents of Grindavik were evacuated.\n", encoding="utf-8")
        page.locator("input[type=file]").first.set_input_files(str(article))
        expect(page.locator("#status")).to_contain_text("sentences indexed", timeout=60_000)
        reply = ask("How many residents were evacuated?", 4)
        expect(reply).to_contain_text("4,000")

        bad = tmp_path / "bad.txt"
        bad.write_bytes(b"\x00\x01\x02")
        expect(page.locator("input[type=file]")).to_have_count(1, timeout=30_000)
        page.locator("input[type=file]").first.set_input_files(str(bad))
        expect(page.locator("#status")).to_contain_text("Upload refused", timeout=60_000)
        ctx.close()
    hosts = {urlparse(u).hostname for u in requests if u.startswith("http")}
    assert hosts == {"127.0.0.1"}, hosts


def test_browser_whole_article_and_follow_up_chips(app_url):
    """"What is this article about?" and "Tell me more" quote and highlight; chips appear and work."""
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(tempfile.mkdtemp(), executable_path=CHROMIUM,
                                                   headless=True, args=ARGS, viewport={"width": 1400, "height": 1000})
        page = ctx.new_page()
        page.goto(app_url)
        box = page.locator("#question textarea")
        box.wait_for(timeout=60_000)
        bot = page.locator('[data-testid="bot"]')
        chips = page.locator("#follow-ups button.chip:visible")

        box.fill("What is this article about?")
        box.press("Enter")
        expect(bot).to_have_count(1, timeout=60_000)
        expect(bot.nth(0)).to_contain_text("Summary of", timeout=60_000)
        expect(page.locator("#article mark.quote")).to_have_count(3, timeout=60_000)
        first_quotes = [q.inner_text() for q in bot.nth(0).locator("blockquote").all()]
        marks = [m.inner_text() for m in page.locator("#article mark.quote").all()]
        assert all(any(m in q for q in first_quotes) for m in marks)
        expect(chips.first).to_be_visible(timeout=60_000)
        assert 1 <= chips.count() <= 3

        box.fill("Tell me more")
        box.press("Enter")
        expect(bot).to_have_count(2, timeout=60_000)
        expect(bot.nth(1)).to_contain_text("More from", timeout=60_000)
        expect(page.locator("#status")).to_contain_text("highlighted", timeout=60_000)
        more_quotes = [q.inner_text() for q in bot.nth(1).locator("blockquote").all()]
        assert more_quotes and not set(more_quotes) & set(first_quotes)   # new sentences only
        marks = [m.inner_text() for m in page.locator("#article mark.quote").all()]
        assert marks and all(any(m in q for q in more_quotes) for m in marks)

        expect(chips.first).to_be_visible(timeout=60_000)
        label = chips.first.inner_text()
        chips.first.click()
        expect(bot).to_have_count(3, timeout=60_000)
        expect(page.locator('[data-testid="user"]').nth(2)).to_contain_text(label)
        expect(bot.nth(2).locator("blockquote").first).to_be_visible(timeout=60_000)
        page.screenshot(path=str(ARTIFACTS / "whole_article.png"), full_page=True)
        ctx.close()


def test_browser_next_question_stops_the_chips_of_the_last(seed_bot, monkeypatch):
    """Chips come one by one after the reply; a question asked while they are still being found
    is answered, stops them (between two suggestions) and gets chips of its own.
    The suggestions are slowed and counted (each takes 1.5 s) so the timing is certain."""
    from playwright.sync_api import expect

    from conftest import chat_page

    asked = []

    def slow_suggestions(answer, history=None, doc_ids=None):
        for i in range(3):
            time.sleep(1.5)
            asked.append(answer.question)
            yield f"Chip {i} after {answer.question}"

    monkeypatch.setattr(seed_bot, "suggestions", slow_suggestions)
    with chat_page(seed_bot) as (page, box):
        chips = page.locator("#follow-ups button.chip:visible")
        first, second = "Who is Japan's Chief Cabinet Secretary?", "How many Aegis destroyers does Japan have?"
        box.fill(first)
        box.press("Enter")
        expect(chips.first).to_have_text(f"Chip 0 after {first}", timeout=60_000)
        assert chips.count() == 1                       # the others are still being found
        box.fill(second)
        box.press("Enter")
        expect(page.locator('[data-testid="bot"]').nth(1)).to_contain_text("six", timeout=60_000)
        expect(chips).to_have_count(3, timeout=60_000)
        assert [c.inner_text() for c in chips.all()] == [f"Chip {i} after {second}" for i in range(3)]
        time.sleep(2)
        # the first question's suggestions finished the step they were in, then stopped
        assert asked.count(first) == 2 and asked.count(second) == 3


def test_readme_command_starts_a_chat_that_answers(tmp_path):
    from gradio_client import Client

    port = free_port()
    env = {**os.environ, "ASSISTANT_INDEX_DIR": str(tmp_path / "ix"), "ASSISTANT_PORT": str(port)}
    start = time.time()
    proc = subprocess.Popen([sys.executable, "-m", "assistant", "chat"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_http(f"http://127.0.0.1:{port}", 120)
        text = Client(f"http://127.0.0.1:{port}", verbose=False).predict(
            "How many US troops are stationed in South Korea?", api_name="/chat")
        print(f"chat answered {time.time() - start:.1f} s after the command")
        assert "28,500" in text
    finally:
        proc.terminate()
        proc.wait(15)


def test_browser_shows_not_sure_apart_from_an_answer(seed_index, seed_bot):
    """A "not sure" reply says so, and its passages are outlined as the closest, not highlighted as
    the answer (an abstainer whose "sure" is out of reach makes every fact reply "not sure")."""
    from playwright.sync_api import expect, sync_playwright

    from assistant import Assistant
    from assistant.rankers.abstainer import Abstainer
    from assistant.runtimes.mlp import MLP, load_model
    from assistant.ui.app import launch

    unsure = MLP({**load_model("verifier").spec, "sure": 1.0})
    bot = Assistant(index_dir=seed_index, reader=seed_bot.reader, abstainer=Abstainer(seed_bot.reader, verifier=unsure))
    port = free_port()
    demo = launch(bot, host="127.0.0.1", port=port, block=False)
    try:
        wait_http(f"http://127.0.0.1:{port}")
        with sync_playwright() as p:
            ctx = p.chromium.launch_persistent_context(tempfile.mkdtemp(), executable_path=CHROMIUM,
                                                       headless=True, args=ARGS, viewport={"width": 1400, "height": 1000})
            page = ctx.new_page()
            page.goto(f"http://127.0.0.1:{port}")
            box = page.locator("#question textarea")
            box.wait_for(timeout=60_000)
            box.fill("Who is Japan's Chief Cabinet Secretary?")
            box.press("Enter")
            reply = page.locator('[data-testid="bot"]').first
            expect(reply).to_contain_text("Not sure:", timeout=60_000)
            expect(reply).to_contain_text("closest")
            expect(page.locator("#status")).to_contain_text("closest passage", timeout=60_000)
            closest = page.locator("#article mark.quote.closest")
            expect(closest.first).to_be_visible(timeout=60_000)
            assert closest.count() == len(reply.locator("blockquote").all()) >= 1
            assert all(m.get_attribute("title").startswith("closest passage") for m in closest.all())
            assert any("Yoshihide Suga" in m.inner_text() for m in closest.all())
            ctx.close()
    finally:
        demo.close()


def test_browser_adds_an_article_by_link(tmp_path, seed_bot):
    """"Add by link" in the chat fetches a real news page from a loopback server; a question is then
    answered from it, and a link to a PDF is refused in the status line."""
    from playwright.sync_api import expect

    from assistant import Assistant
    from assistant.settings import get_settings
    from conftest import chat_page
    from site_server import serve

    site = serve("127.0.0.1")
    bot = Assistant(index_dir=tmp_path / "index", settings=get_settings(allow_private_urls=True),
                    reader=seed_bot.reader, ranker=seed_bot.ranker)
    try:
        with chat_page(bot) as (page, box):
            link = page.locator("#link input, #link textarea").first
            status = page.locator("#status")
            link.fill(site.base + "/tories")
            page.locator("#add-link").click()
            expect(status).to_contain_text("sentences indexed", timeout=60_000)
            expect(status).to_contain_text(site.base + "/tories")
            expect(page.locator("#article")).to_contain_text("factcheckUK")
            assert link.input_value() == ""
            link.fill(site.base + "/report.pdf")
            link.press("Enter")
            expect(status).to_contain_text("Link refused", timeout=60_000)
            expect(status).to_contain_text("a PDF")
            assert [d.id for d in bot.documents()] == [site.base + "/tories"]

            box.fill("What name did the Conservative Party's press office Twitter account change to?")
            box.press("Enter")
            reply = page.locator('[data-testid="bot"]').first
            expect(reply).to_contain_text("factcheckUK", timeout=60_000)
            expect(page.locator("#article mark.quote").first).to_contain_text("factcheckUK")
            # the follow-up chips are computed after the reply: wait for them, so that no model is
            # still running in the server's worker thread when the test (and the process) ends
            expect(page.locator("#follow-ups button.chip").first).to_be_visible(timeout=120_000)
    finally:
        site.shutdown()
