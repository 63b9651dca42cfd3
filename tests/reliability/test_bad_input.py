"""Bad input over the API, the CLI and /chat: a typed one-line error, and nothing stored changes."""
import subprocess
import sys

import pytest

from conftest import ROOT, SEED

BIG = "x " * 600_000


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    from assistant import Assistant

    bot = Assistant(index_dir=tmp_path_factory.mktemp("bad"))
    bot.add_file(SEED, doc_id="seed")
    return bot


def state(bot):
    store = bot.store
    return ([(d.id, d.title, d.text, sorted(d.metadata.items())) for d in bot.documents()],
            store._sentences.count(), store._spans.get(include=["metadatas"])["metadatas"])


API_CASES = [
    ("empty question", lambda b: b.answer("   "), "InvalidQuestionError"),
    ("huge question", lambda b: b.answer("why " * 2000), "InvalidQuestionError"),
    ("lone surrogate in question", lambda b: b.answer("Who is \ud800 Suga?"), "InvalidQuestionError"),
    ("C1 control in question", lambda b: b.answer("Who is \x9b Suga?"), "InvalidQuestionError"),
    ("question not a string", lambda b: b.answer(42), "InvalidQuestionError"),
    ("doc_ids an int", lambda b: b.answer("Who?", doc_ids=5), "InvalidRequestError"),
    ("doc_ids nested", lambda b: b.answer("Who?", doc_ids=[["seed"]]), "InvalidRequestError"),
    ("unknown doc id", lambda b: b.answer("Who?", doc_ids=["nope"]), "DocumentNotFoundError"),
    ("history not a list", lambda b: b.answer("Who?", history="hi"), "InvalidRequestError"),
    ("history bad role", lambda b: b.answer("Who?", history=[{"role": "system", "content": "x"}]),
     "InvalidRequestError"),
    ("empty document", lambda b: b.add_document("  \n "), "InvalidDocumentError"),
    ("binary document", lambda b: b.add_document("\x00\x01\x02 abc"), "InvalidDocumentError"),
    ("surrogate in document", lambda b: b.add_document("Rain fell \udc80 today."), "InvalidDocumentError"),
    ("title not a string", lambda b: b.add_document("Rain fell today.", title=123), "InvalidDocumentError"),
    ("metadata a list", lambda b: b.add_document("Rain fell today.", metadata=[1, 2]), "InvalidDocumentError"),
    ("metadata int key", lambda b: b.add_document("Rain fell today.", metadata={1: "x"}), "InvalidDocumentError"),
    ("metadata empty key", lambda b: b.add_document("Rain fell today.", metadata={"": "x"}), "InvalidDocumentError"),
    ("metadata not JSON", lambda b: b.add_document("Rain fell today.", metadata={"k": object()}),
     "InvalidDocumentError"),
    ("doc id with a newline", lambda b: b.add_document("Rain fell today.", doc_id="a\nb"), "InvalidDocumentError"),
    ("doc id too long", lambda b: b.add_document("Rain fell today.", doc_id="x" * 513), "InvalidDocumentError"),
    ("remove a list", lambda b: b.remove_document(["seed"]), "InvalidDocumentError"),
    ("remove unknown", lambda b: b.remove_document("nope"), "DocumentNotFoundError"),
    ("unsupported file", lambda b: b.add_file(SEED.with_suffix(".pdf")), "InvalidDocumentError"),
]


@pytest.mark.parametrize("name,call,error", API_CASES, ids=[c[0] for c in API_CASES])
def test_api_bad_input(bot, name, call, error):
    from assistant.errors import AssistantError

    before = state(bot)
    with pytest.raises(AssistantError) as err:
        call(bot)
    assert type(err.value).__name__ == error and "\n" not in str(err.value)
    assert state(bot) == before


def test_history_is_capped_and_cleaned(bot):
    import time

    history = [{"role": "user", "content": "Who is Suga? \ud800"}, {"role": "assistant", "content": BIG}] * 50
    start = time.time()
    answer = bot.answer("How many Aegis destroyers does Japan have?", history=history)
    assert answer.text == "six" and time.time() - start < 5


def test_url_and_non_latin_document_ids(bot, tmp_path):
    url = "https://example.com/news/2024/03/rain?id=1"
    bot.add_document("Rain fell on Monday in the city.", doc_id=url)
    assert bot.document(url).id == url
    found = bot.answer("Is rain mentioned?", doc_ids=[url])
    assert found.kind == "mentions" and found.quotes[0].doc_id == url
    bot.remove_document(url)
    a, b = tmp_path / "日本語.txt", tmp_path / "中文.txt"
    a.write_text("Rain fell on Monday.", encoding="utf-8")
    b.write_text("Snow fell on Tuesday.", encoding="utf-8")
    bot.add_file(a)
    bot.add_file(b)
    assert {"日本語", "中文"} <= {d.id for d in bot.documents()}
    bot.remove_document("日本語")
    bot.remove_document("中文")


def cli(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "assistant", *args], cwd=ROOT, capture_output=True,
                          timeout=300, input=stdin)


def test_cli_bad_input(tmp_path):
    index = tmp_path / "ix"
    assert cli("ingest", str(SEED), "--index", str(index)).returncode == 0
    cases = [
        [b"ask", b"Who is \xff\xfe Suga?"],          # invalid UTF-8 in an argument
        [b"ask", b"   "],
        [b"remove", b"nope"],
        [b"ingest", str(tmp_path / "missing.txt").encode()],
        [b"ask", b"Who?", b"--chroma-url", b"http://[::1"],
    ]
    for case in cases:
        out = subprocess.run([sys.executable, "-m", "assistant", *case, b"--index", str(index).encode()],
                             cwd=ROOT, capture_output=True, timeout=300)
        err = out.stderr.decode("utf-8", "replace").strip()
        assert out.returncode == 1 and "Traceback" not in err and err.splitlines()[-1].startswith("error"), (case, err)


def test_cli_output_into_a_closed_pipe(tmp_path):
    index = tmp_path / "ix"
    for i in range(40):
        (tmp_path / f"doc{i}.txt").write_text(f"Report {i}\n\nRain fell {i} times on Monday. " * 30, encoding="utf-8")
    assert cli("ingest", *[str(tmp_path / f"doc{i}.txt") for i in range(40)], "--index", str(index)).returncode == 0
    proc = subprocess.Popen([sys.executable, "-m", "assistant", "documents", "--json", "--index", str(index)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.readline()
    proc.stdout.close()          # like `| head -1`
    err = proc.stderr.read().decode()
    assert proc.wait(120) == 0 and "Traceback" not in err and "BrokenPipe" not in err, err


def test_chat_endpoint_bad_input(bot):
    from gradio_client import Client

    from assistant.ui.app import launch
    from conftest import free_port, wait_http

    port = free_port()
    demo = launch(bot, port=port, block=False)
    try:
        wait_http(f"http://127.0.0.1:{port}")
        client = Client(f"http://127.0.0.1:{port}", verbose=False)
        for args in [("   ",), ("why " * 2000,), ("Who is \x9b?",), ("Who?", [], ["nope"]),
                     ("Who?", "not a list"), ("Who?", [{"role": "system", "content": "x"}])]:
            reply = client.predict(*args, api_name="/chat")
            assert reply.startswith("Error: ") and "\n" not in reply, (args, reply)
    finally:
        demo.close()
