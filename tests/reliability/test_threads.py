"""One process, two threads: one answers while the other adds, replaces and removes a document.
No answer fails (a removed row met mid-read is skipped)."""
import threading
import time

from conftest import SEED


def test_answers_while_another_thread_writes(tmp_path):
    from assistant import Assistant

    bot = Assistant(index_dir=tmp_path / "ix")
    bot.add_file(SEED, doc_id="seed")
    errors, answers = [], []
    stop = threading.Event()

    def ask():
        while not stop.is_set():
            try:
                answers.append(bot.answer("How many residents were evacuated?").text)
                answers.append(bot.answer("How many US troops are stationed in South Korea?").text)
            except Exception as exc:   # any failure is the finding
                errors.append(repr(exc))
    worker = threading.Thread(target=ask)
    worker.start()
    deadline = time.time() + 120
    try:
        i = 0
        while len(answers) < 20 and time.time() < deadline:   # writes interleaved with 20 answers
            bot.add_document(f"Volcano erupts\n\nAbout {1000 + i} residents were evacuated on Monday.", doc_id="volcano")
            bot.remove_document("volcano")
            i += 1
    finally:
        stop.set()
        worker.join(60)
    assert errors == [] and len(answers) >= 20 and i >= 5
    assert all("28,500" in a for a in answers[1::2])
