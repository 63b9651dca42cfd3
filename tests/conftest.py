import contextlib
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_8355bb5549ec8e52.txt"
GOLD = ROOT / "gold" / "seed.jsonl"
ARTIFACTS = ROOT / "test-artifacts"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 90) -> None:
    import urllib.request

    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except Exception:
            time.sleep(0.5)
    raise TimeoutError(url)


@pytest.fixture(scope="session", autouse=True)
def _cache_dir(tmp_path_factory):
    """Catalogs of Chroma servers started by the tests go to a temporary folder, not ~/.cache."""
    import os

    os.environ["ASSISTANT_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="session")
def seed_bot(tmp_path_factory):
    """An Assistant on a fresh index holding the seed article (the real model and Chroma)."""
    from assistant import Assistant

    bot = Assistant(index_dir=tmp_path_factory.mktemp("index"))
    bot.add_file(SEED, doc_id="seed")
    return bot


@pytest.fixture(scope="module")
def seed_index(tmp_path_factory):
    """An index directory holding the seed article as "seed", for tests that only read it."""
    from assistant import Assistant

    path = tmp_path_factory.mktemp("seed-index")
    Assistant(index_dir=path).add_file(SEED, doc_id="seed")
    return path


@pytest.fixture()
def chroma_server(tmp_path):
    port = free_port()
    exe = Path(sys.executable).with_name("chroma")
    proc = subprocess.Popen([str(exe), "run", "--path", str(tmp_path), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_http(f"http://127.0.0.1:{port}/api/v2/heartbeat", 60)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(10)


CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@contextlib.contextmanager
def chat_page(bot):
    """The chat for `bot` served on a free port, open in Debian's chromium: (page, question box)."""
    import tempfile

    from playwright.sync_api import sync_playwright

    from assistant.ui.app import launch

    port = free_port()
    demo = launch(bot, port=port, block=False)
    try:
        wait_http(f"http://127.0.0.1:{port}")
        with sync_playwright() as p:
            ctx = p.chromium.launch_persistent_context(tempfile.mkdtemp(), executable_path="/usr/bin/chromium",
                                                       headless=True, args=CHROMIUM_ARGS)
            try:
                page = ctx.new_page()
                page.goto(f"http://127.0.0.1:{port}")
                box = page.locator("#question textarea")
                box.wait_for(timeout=60_000)
                yield page, box
            finally:
                ctx.close()
    finally:
        demo.close()


@pytest.fixture(scope="session", autouse=True)
def _no_model_running_at_exit():
    """The session ends only once no other thread is inside the assistant's code (a chat's follow-up
    chips are computed in a server thread after the reply): an interpreter that exits while such a
    thread runs the models aborts ("terminate called without an active exception")."""
    yield
    import threading

    package = str(ROOT / "assistant")
    deadline = time.time() + 120
    while time.time() < deadline:
        frames = sys._current_frames()
        busy = [t for t in threading.enumerate() if t is not threading.current_thread() and t.ident in frames
                and _inside(frames[t.ident], package)]
        if not busy:
            return
        time.sleep(0.2)


def _inside(frame, package: str) -> bool:
    while frame is not None:
        if frame.f_code.co_filename.startswith(package):
            return True
        frame = frame.f_back
    return False
