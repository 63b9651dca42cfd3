"""An article holding HTML is shown as text in the chat, in a real Chromium: nothing is fetched,
nothing becomes a link, nothing vanishes from the quote."""
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from conftest import chat_page


@pytest.fixture()
def trap():
    """An HTTP server that counts the requests a page makes to it."""
    hits = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass
    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1], hits
    server.shutdown()


def test_html_in_an_article_stays_text_in_the_chat(tmp_path, trap):
    from playwright.sync_api import expect

    from assistant import Assistant

    port, hits = trap
    trap_url = f"http://127.0.0.1:{port}"
    sentence = (f'The mayor posted <img src="{trap_url}/img"> and <a href="{trap_url}/link">a link</a> '
                f'with <script>window.pwned=1</script> and <svg><title>hidden</title></svg> on the harbour page.')
    bot = Assistant(index_dir=tmp_path / "ix")
    bot.add_document(f"Harbour page\n\n{sentence}\n\nThe harbour reopened on Monday.", doc_id="hostile",
                     title=f'<img src="{trap_url}/title"> Harbour')
    with chat_page(bot) as (page, box):
        box.fill("What did the mayor post on the harbour page?")
        box.press("Enter")
        bot_msg = page.locator('[data-testid="bot"]').first
        quote = bot_msg.locator("blockquote").first
        # the reply streams in pieces: wait for its last line (the source) before reading it
        expect(quote).to_contain_text(f'<img src="{trap_url}/title"> Harbour', timeout=60_000)
        text = quote.inner_text()
        for piece in ("<script>window.pwned=1</script>", "<svg><title>hidden</title></svg>",
                      f'<a href="{trap_url}/link">a link</a>', f'<img src="{trap_url}/title"> Harbour'):
            assert piece in text, piece
        found = bot_msg.locator("img, a[href], script, svg title").evaluate_all("els => els.map(e => e.outerHTML)")
        assert not any(trap_url in f or "hidden" in f or "pwned" in f for f in found), found
        assert page.evaluate("window.pwned") is None
        expect(page.locator("#article mark.quote")).to_have_count(1)
        page.wait_for_timeout(1000)
    assert hits == []
