"""A Chroma server that hangs, stops or dies: a typed one-line error within the timeout, never a
hang, and the next question works again once the server is back."""
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import ROOT, SEED, free_port, wait_http

TIMEOUT = 2.0


@pytest.fixture()
def server(tmp_path):
    port = free_port()
    exe = Path(sys.executable).with_name("chroma")
    proc = subprocess.Popen([str(exe), "run", "--path", str(tmp_path / "srv"), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_http(f"http://127.0.0.1:{port}/api/v2/heartbeat", 60)
    yield f"http://127.0.0.1:{port}", proc
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGCONT)
        proc.terminate()
        proc.wait(10)


@pytest.fixture()
def silent_socket():
    """Accepts connections and never answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(50)
    held = []
    stop = threading.Event()

    def accept():
        sock.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(sock.accept()[0])
            except OSError:
                pass
    threading.Thread(target=accept, daemon=True).start()
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    stop.set()
    for c in held:
        c.close()
    sock.close()


def test_a_server_that_never_answers(silent_socket):
    from assistant import Assistant
    from assistant.errors import StoreUnavailableError
    from assistant.settings import get_settings

    start = time.time()
    with pytest.raises(StoreUnavailableError, match="did not answer"):
        Assistant(chroma_url=silent_socket, settings=get_settings(chroma_timeout=TIMEOUT))
    assert time.time() - start < TIMEOUT + 1.5


def test_cli_on_a_hung_server_and_a_bad_url(silent_socket):
    env = {**os.environ, "ASSISTANT_CHROMA_TIMEOUT": str(TIMEOUT)}
    start = time.time()
    out = subprocess.run([sys.executable, "-m", "assistant", "ask", "Who?", "--chroma-url", silent_socket],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 1 and time.time() - start < TIMEOUT + 30   # + interpreter and model start
    assert out.stderr.strip().count("\n") == 0 and "did not answer" in out.stderr
    out = subprocess.run([sys.executable, "-m", "assistant", "documents", "--chroma-url", "http://[::1"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 1 and out.stderr.startswith("error: ") and "Traceback" not in out.stderr


def test_a_server_paused_then_resumed_and_then_killed(server):
    from assistant import Assistant
    from assistant.errors import StoreUnavailableError
    from assistant.settings import get_settings

    url, proc = server
    bot = Assistant(chroma_url=url, settings=get_settings(chroma_timeout=TIMEOUT))
    bot.add_file(SEED, doc_id="seed")
    question = "How many US troops are stationed in South Korea?"
    assert "28,500" in bot.answer(question).text

    os.kill(proc.pid, signal.SIGSTOP)
    try:
        for _ in range(2):
            start = time.time()
            with pytest.raises(StoreUnavailableError):
                bot.answer(question)
            assert time.time() - start < TIMEOUT + 1.5   # the first call that times out ends the request
    finally:
        os.kill(proc.pid, signal.SIGCONT)
    assert "28,500" in bot.answer(question).text            # the next question works again

    proc.kill()
    proc.wait(10)
    time.sleep(0.6)    # past the change check interval, so the next answer talks to the server
    with pytest.raises(StoreUnavailableError) as err:
        bot.answer(question)
    assert "Errno" not in str(err.value).split(":")[0]
