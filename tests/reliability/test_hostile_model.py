"""A language-model server that misbehaves, on a real loopback HTTP server speaking the OpenAI
streaming protocol: it streams forever, rambles, cites a 5,000-digit number, copies its prompt or
sends control characters. Each gives a checked reply or the extractive answer with its notice."""
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import ROOT

QUESTION = "How many Aegis destroyers does Japan have?"


class Scripted(BaseHTTPRequestHandler):
    """Streams the pieces `script(body)` yields as chat-completion chunks (SSE)."""

    script = None

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        try:
            for piece in type(self).script(body):
                chunk = {"id": "c", "object": "chat.completion.chunk", "created": 0, "model": "m",
                         "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]}
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                self.wfile.flush()
            self.wfile.write(b"data: [DONE]\n\n")
        except (BrokenPipeError, ConnectionResetError):    # the client hung up: what a deadline does
            pass


@pytest.fixture()
def server():
    handler = type("Handler", (Scripted,), {})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield handler, f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    httpd.shutdown()


@pytest.fixture(scope="module")
def index(seed_index):
    return seed_index


def ask(index, url, timeout=3.0):
    """The final answer, from a thread: a test that hung would be the bug itself."""
    from assistant import Assistant
    from assistant.settings import get_settings

    bot = Assistant(index_dir=index, settings=get_settings(llm_url=url, llm_model="m", llm_timeout=timeout))
    out = {}
    worker = threading.Thread(target=lambda: out.setdefault("answer", bot.answer(QUESTION)), daemon=True)
    worker.start()
    worker.join(60)
    assert not worker.is_alive(), "the reply never ended"
    return out["answer"]


def forever(body):
    while True:
        yield "Japan "
        time.sleep(0.05)


def test_a_server_that_streams_forever_meets_the_deadline(index, server):
    handler, url = server
    handler.script = forever
    answer = ask(index, url, timeout=2.0)
    assert answer.text == "six" and not answer.model
    assert "did not answer in 2 s; showing the extractive answer" in answer.notice


def test_the_word_cap_is_enforced_while_streaming(index, server):
    handler, url = server

    def ramble(body):
        yield "Japan has six Aegis destroyers [1]. "
        while True:
            yield "and more words "
    handler.script = ramble
    answer = ask(index, url, timeout=30.0)
    assert answer.text == "six" and "was not a short answer (over 80 words)" in answer.notice


def test_a_citation_of_5000_digits_is_not_a_citation(index, server):
    handler, url = server
    handler.script = lambda body: iter(["Japan has six destroyers [" + "9" * 5000 + "]."])
    answer = ask(index, url)
    assert answer.text == "six" and "cited none of the given sentences" in answer.notice
    handler.script = lambda body: iter(["Japan has six destroyers [1][" + "9" * 5000 + "]."])
    answer = ask(index, url)
    assert answer.model and answer.text == "Japan has six destroyers [1]."


def test_a_reply_that_copies_the_prompt_is_rejected(index, server):
    handler, url = server
    system = (ROOT / "prompts" / "answer_system.md").read_text(encoding="utf-8")
    handler.script = lambda body: iter([system[:400] + " [1]"])
    answer = ask(index, url)
    assert not answer.model and "repeated its instructions" in answer.notice


def test_control_and_bidi_characters_are_stripped_from_model_text(index, server):
    handler, url = server
    handler.script = lambda body: iter(["Japan has \x00six\x1b[31m Aegis\u202e destroyers\x07 [1]."])
    from assistant import Assistant
    from assistant.settings import get_settings

    bot = Assistant(index_dir=index, settings=get_settings(llm_url=url, llm_model="m", llm_timeout=5))
    pieces = list(bot.stream(QUESTION))
    final = pieces[-1]
    assert final.model and final.text == "Japan has six[31m Aegis destroyers [1]."
    for piece in pieces[:-1] + [final.markdown()]:
        assert not any(ch in piece for ch in "\x00\x1b\x07\u202e")
