"""Feedback in the chat, in real Chromium: 👎 with the right sentence clicked in the article, 👍,
and `assistant eval feedback.jsonl` before and after the index changes; the /feedback endpoint
under 50 concurrent posts from 10 sessions."""
import json
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import ROOT, SEED, chat_page, free_port, wait_http

FERRY = ROOT / "tests" / "articles" / "ferry_strike.txt"
DIRECTOR = "Halifax Transit director Leila Haddad said the authority would hire 25 more crew members this year so that the new schedule can be staffed."
COST = "How much did traffic delays cost local businesses?"


@pytest.fixture()
def bot(tmp_path, seed_bot):
    from assistant import Assistant

    bot = Assistant(index_dir=tmp_path / "index", reader=seed_bot.reader, ranker=seed_bot.ranker)
    bot.add_file(SEED, doc_id="seed")
    bot.add_file(FERRY)
    return bot


def cli(*args):
    return subprocess.run([sys.executable, "-m", "assistant", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=600)


def evaluate(index, feedback, out):
    r = cli("eval", feedback, "--index", index, "--json", out)
    assert r.returncode == 0, r.stderr
    items = json.loads(out.read_text())["feedback"]["items"]
    return {i["question"]: i for i in items}, r.stdout, r.stderr


def test_browser_feedback_becomes_a_gold_set(bot, tmp_path):
    from playwright.sync_api import expect

    with chat_page(bot) as (page, box):
        status = page.locator("#status")
        replies = page.locator('[data-testid="bot"]')
        # search the seed only: the director is not in it
        page.locator("#search-in label", has_text="ferry_strike").click()
        box.fill("Who is the Halifax Transit director?")
        box.press("Enter")
        expect(replies.first).to_contain_text("does not say", timeout=60_000)
        page.locator('#chat button[aria-label="Dislike"]').first.click()
        expect(page.locator("#correction-help")).to_be_visible(timeout=30_000)
        page.locator("#article .sentence", has_text="Leila Haddad").first.click()
        expect(page.locator("#correction-help")).to_contain_text("Right sentence: “" + DIRECTOR, timeout=30_000)
        expect(page.locator("#article .picked")).to_have_text(DIRECTOR)
        page.locator("#answer-text input, #answer-text textarea").first.fill("Leila Haddad")
        page.locator("#save-feedback").click()
        expect(status).to_contain_text("Feedback saved: 👎 with the right sentence", timeout=30_000)
        expect(page.locator("#correction-help")).to_be_hidden()
        # a second verdict on the same reply is refused, and its thumb shows the one saved
        page.locator('#chat button[aria-label="Like"]').first.click()
        expect(status).to_contain_text("already saved", timeout=30_000)
        expect(page.locator('#chat button[aria-label="Disliked"]')).to_have_count(1, timeout=30_000)

        page.locator("#search-in label", has_text="ferry_strike").click()
        box.fill(COST)
        box.press("Enter")
        expect(replies.nth(1)).to_contain_text("$2.4 million", timeout=60_000)
        page.locator('#chat button[aria-label="Like"]').nth(1).click()
        expect(status).to_contain_text("Feedback saved: 👍", timeout=30_000)
        expect(page.locator("#follow-ups button.chip").first).to_be_visible(timeout=120_000)

    records = [json.loads(line) for line in bot.feedback.path.read_text().splitlines()]
    assert [(r["verdict"], r["question"]) for r in records] == [
        ("down", "Who is the Halifax Transit director?"), ("up", COST)]
    down, up = records
    assert down["evidence"] == [DIRECTOR] and down["answers"] == ["Leila Haddad"] and down["doc_id"] == "ferry_strike"
    assert down["reply"]["kind"] == "abstained"
    assert up["kind"] == "conversation" and up["turns"][0] == {"question": "Who is the Halifax Transit director?", "context": True}
    assert up["turns"][1]["answers"] == ["$2.4 million"]

    index, feedback = bot.index_dir, bot.feedback.path
    with open(feedback, "a", encoding="utf-8") as f:     # a line cut short: reported, skipped
        f.write('{"id": "fb-cut", "verdict": "up", "que')
    # without the ferry article: the 👎 item is still wrong, the 👍 one is a regression
    assert cli("remove", "ferry_strike", "--index", index).returncode == 0
    items, report, warnings = evaluate(index, feedback, tmp_path / "before.json")
    assert warnings.splitlines()[0] == "warning: feedback.jsonl line 3: not a JSON record, skipped"
    assert len(items) == 2
    assert items["Who is the Halifax Transit director?"]["right_now"] is False
    assert items["Who is the Halifax Transit director?"]["mark"] == ""
    assert items[COST]["mark"] == "regression"
    assert "**1 regression(s)**" in report
    # with it back (the document that answers it): fixed, and no regression
    assert cli("ingest", FERRY, "--index", index).returncode == 0
    items, report, _ = evaluate(index, feedback, tmp_path / "after.json")
    assert items["Who is the Halifax Transit director?"]["mark"] == "fixed"
    assert items[COST]["mark"] == "" and items[COST]["right_now"] is True
    assert "**0 regression(s)**" in report and "**1 fixed**" in report


def test_fifty_concurrent_feedback_posts_from_ten_sessions(bot):
    from gradio_client import Client

    from assistant.ui.app import launch

    port = free_port()
    demo = launch(bot, host="127.0.0.1", port=port, block=False)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_http(url)
        # what is checked is that no post is lost or doubled, not how fast: httpx's 5 s default read
        # timeout made this a timed test on a busy machine
        clients = [Client(url, verbose=False, httpx_kwargs={"timeout": 60}) for _ in range(10)]
        questions = [COST, "Who is the Halifax Transit director?", "How many Aegis destroyers does Japan have?",
                     "What is the population of Seoul?", "Who wrote the ferry story?"]
        asked = [(c, c.predict(q, api_name="/answer")) for c in clients for q in questions]
        assert all("id" in reply and "error" not in reply for _, reply in asked)

        def post(job):
            client, reply = job
            return client.predict(reply, "up" if reply["quotes"] else "down", None, None, None, api_name="/feedback")

        with ThreadPoolExecutor(50) as pool:
            results = list(pool.map(post, asked))
        assert all(r.startswith("saved fb-") for r in results), results
        records = [json.loads(line) for line in bot.feedback.path.read_text().splitlines()]
        assert len(records) == 50 and {r["reply"]["id"] for r in records} == {reply["id"] for _, reply in asked}
        # the same reply again, and a reply that is not one, are one line each
        assert clients[0].predict(asked[0][1], "up", None, None, None, api_name="/feedback") == \
            "Error: feedback on this reply was already saved"
        assert clients[0].predict({"text": 1}, "up", None, None, None, api_name="/feedback") == \
            "Error: the reply must be one /answer gave"
        assert clients[0].predict(asked[1][1], "down", DIRECTOR, "Leila Haddad", None, api_name="/feedback") == \
            "Error: feedback on this reply was already saved"
        # a 👎 that names the request the question meant: both kept; a wrong name or verdict, nothing
        meant = clients[1].predict("Which journalist put this piece together?", api_name="/answer")
        post = lambda verdict, label: clients[1].predict(meant, verdict, None, None, None, label, api_name="/feedback")
        assert post("down", "writer").startswith("Error: unknown request 'writer'")
        assert post("up", "about:author") == 'Error: a request is named only with a "down" verdict'
        assert len(bot.feedback.path.read_text().splitlines()) == 50 and not bot.requests.path.exists()
        assert re.fullmatch(rf"saved fb-\S+ and rq-{re.escape(meant['id'])}", post("down", "about:author"))
        kept = json.loads(bot.requests.path.read_text().splitlines()[-1])
        assert (kept["kind"], kept["field"], kept["source"]) == ("about", "author", "correction")
    finally:
        demo.close()


def test_taking_the_offered_request_keeps_the_question(bot):
    """An unsure question is answered as a fact with the request it may have meant as the first
    chip; clicking that chip answers the request and keeps the question's phrasing with it. Another
    chip keeps nothing."""
    from playwright.sync_api import expect

    with chat_page(bot) as (page, box):
        replies = page.locator('[data-testid="bot"]')
        chips = page.locator("#follow-ups button.chip:visible")
        box.fill("who did this")
        box.press("Enter")
        expect(replies).to_have_count(1, timeout=60_000)
        expect(chips.first).to_have_text("Who wrote the article?", timeout=120_000)
        chips.first.click()
        expect(replies).to_have_count(2, timeout=60_000)
        # the author of the article on screen
        expect(replies.nth(1)).to_contain_text(re.compile("Shin Hyon-hee|Maria Okafor"), timeout=60_000)
        expect(chips.first).to_be_visible(timeout=120_000)
        other = chips.first.inner_text()
        chips.first.click()
        expect(page.locator('[data-testid="user"]').nth(2)).to_contain_text(other, timeout=60_000)
        expect(replies).to_have_count(3, timeout=60_000)

    records = [json.loads(line) for line in bot.requests.path.read_text().splitlines()]
    assert [(r["question"], r["kind"], r["field"], r["reply_kind"]) for r in records] == [
        ("who did this", "about", "author", "abstained")]


def test_a_request_named_in_the_thumbs_down_panel_is_kept_and_asked(bot):
    """A request read as something else (here a fact question, with a summary offered) is named in
    the 👎 panel: the 👎 and the request are kept, and the chat asks the request."""
    from playwright.sync_api import expect

    question = "I would like to learn who prepared this material."
    with chat_page(bot) as (page, box):
        status = page.locator("#status")
        replies = page.locator('[data-testid="bot"]')
        box.fill(question)
        box.press("Enter")
        expect(replies).to_have_count(1, timeout=60_000)
        page.locator('#chat button[aria-label="Dislike"]').first.click()
        expect(page.locator("#correction-help")).to_be_visible(timeout=30_000)
        page.locator("#meant input").first.click()
        page.get_by_role("option", name="who wrote the article").click()
        page.locator("#save-feedback").click()
        expect(status).to_contain_text("your question asked for who wrote the article", timeout=30_000)
        expect(page.locator('[data-testid="user"]').nth(1)).to_contain_text("Who wrote the article?", timeout=60_000)
        expect(replies.nth(1)).to_contain_text(re.compile("Shin Hyon-hee|Maria Okafor"), timeout=60_000)
        expect(page.locator("#correction-help")).to_be_hidden()

    feedback = [json.loads(line) for line in bot.feedback.path.read_text().splitlines()]
    assert [(r["verdict"], r["question"]) for r in feedback] == [("down", question)]
    requests = [json.loads(line) for line in bot.requests.path.read_text().splitlines()]
    assert [(r["question"], r["kind"], r["field"], r["source"]) for r in requests] == [
        (question, "about", "author", "correction")]


def test_the_panel_keeps_a_named_request_with_its_thumbs_down_or_neither(bot):
    """Called as the save button calls it: a 👎 naming a request is kept with the request, and a
    refused one (a right passage that is not in the article) keeps neither."""
    from assistant.ui.feedback_panel import FeedbackPanel

    panel = FeedbackPanel(bot, lambda doc_id=None, picked=None: "")
    answer = bot.answer("Which journalist put this piece together?")
    replies = {1: (answer, [])}
    status, rated, *_, asking = panel.save_correction(1, {"doc_id": "seed", "start": 0, "end": 10**6}, "",
                                                      "about:author", replies, {}, None)
    assert status.startswith("⚠️ Feedback not saved") and rated == {} and asking is None
    assert not bot.feedback.path.exists() and not bot.requests.path.exists()

    status, rated, *_, asking = panel.save_correction(1, None, "", "about:author", replies, {}, None)
    assert "your question asked for who wrote the article" in status and rated == {answer.id: "down"}
    assert asking == "Who wrote the article?"
    assert len(bot.feedback.path.read_text().splitlines()) == len(bot.requests.path.read_text().splitlines()) == 1
