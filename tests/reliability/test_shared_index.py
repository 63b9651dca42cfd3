"""Two real processes on one index: a chat (Gradio /chat) and the CLI writing beside it. The chat
sees another process's new document within 2 s, and never fails after a removal or replacement."""
import os
import subprocess
import sys
import time

import pytest

from conftest import ROOT, SEED, free_port, wait_http

NEW = "Volcano erupts in Iceland\n\nThe Fagradalsfjall volcano erupted on Monday. About 4,000 residents of Grindavik were evacuated.\n"
CHANGED = NEW.replace("4,000", "3,100")


def cli(*args, index):
    return subprocess.run([sys.executable, "-m", "assistant", *args, "--index", str(index)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def ask_until(client, question, predicate, seconds):
    """Ask repeatedly; return (reply, seconds waited) once `predicate(reply)` holds."""
    start = time.time()
    while True:
        reply = client.predict(question, api_name="/chat")
        assert not reply.startswith("Error"), reply
        if predicate(reply) or time.time() - start > seconds:
            return reply, time.time() - start
        time.sleep(0.1)


@pytest.mark.parametrize("mode", ["directory", "server"])
def test_a_chat_sees_another_process_writes(tmp_path, mode, request):
    from gradio_client import Client

    if mode == "server":
        url = request.getfixturevalue("chroma_server")
        where = ["--chroma-url", url]
        env_store = {"ASSISTANT_CHROMA_URL": url}
    else:
        where = ["--index", str(tmp_path / "ix")]
        env_store = {"ASSISTANT_INDEX_DIR": str(tmp_path / "ix")}

    def run_cli(*args):
        out = subprocess.run([sys.executable, "-m", "assistant", *args, *where], cwd=ROOT,
                             capture_output=True, text=True, timeout=300)
        assert out.returncode == 0, out.stderr
        return out

    run_cli("ingest", str(SEED))
    port = free_port()
    chat = subprocess.Popen([sys.executable, "-m", "assistant", "chat", "--port", str(port), *where], cwd=ROOT,
                            env={**os.environ, **env_store}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_http(f"http://127.0.0.1:{port}", 120)
        client = Client(f"http://127.0.0.1:{port}", verbose=False)
        question = "How many residents of Grindavik were evacuated?"
        assert "does not say" in client.predict(question, api_name="/chat")

        article = tmp_path / "volcano.txt"
        article.write_text(NEW, encoding="utf-8")
        run_cli("ingest", str(article))
        done = time.time()
        reply, _ = ask_until(client, question, lambda r: "4,000" in r, 10)
        waited = time.time() - done
        assert "4,000" in reply and waited <= 2.0 + 1.0, waited   # 2 s, plus one answer's time

        article.write_text(CHANGED, encoding="utf-8")           # replaced by another process
        run_cli("ingest", str(article))
        reply, _ = ask_until(client, question, lambda r: "3,100" in r, 3)
        assert "3,100" in reply and "4,000" not in reply

        run_cli("remove", "volcano")                             # removed by another process
        reply, _ = ask_until(client, question, lambda r: "does not say" in r, 3)
        assert "does not say" in reply
        for _ in range(20):                                      # and nothing fails afterwards
            assert "28,500" in client.predict("How many US troops are stationed in South Korea?", api_name="/chat")
    finally:
        chat.terminate()
        chat.wait(15)
