"""kill -9 in the middle of `assistant ingest`: the index opens, holds only whole documents, and
the rerun finishes."""
import signal
import subprocess
import sys

from conftest import ROOT


def test_sigkill_during_ingest_then_rerun(tmp_path):
    from assistant import Assistant

    folder = tmp_path / "texts"
    folder.mkdir()
    for i in range(30):
        body = " ".join(f"Report {i} says the river rose {j} metres on day {j}." for j in range(25))
        (folder / f"report{i:02d}.txt").write_text(f"River report {i}\n\n{body}\n", encoding="utf-8")
    index = tmp_path / "ix"
    # One document a batch, so the kill lands between writes of a run still going.
    cmd = [sys.executable, "-m", "assistant", "ingest", str(folder), "--index", str(index), "--batch-sentences", "25"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seen = 0
    for line in proc.stdout:          # kill once a few documents are in, mid-run
        seen += "sentences indexed" in line
        if seen == 3:
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait(60)
    assert proc.returncode == -signal.SIGKILL

    bot = Assistant(index_dir=index)
    docs = bot.documents()
    assert 3 <= len(docs) < 30
    for doc in docs:                   # whole documents only: every one has all 25 sentences
        assert bot.sentence_count(doc.id) == 25
    assert all(bot.document(s.doc_id).text[s.span.start:s.span.end] == s.text for s in bot.catalog.sentences)
    del bot

    rerun = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    bot = Assistant(index_dir=index)
    assert len(bot.documents()) == 30 and all(bot.sentence_count(d.id) == 25 for d in bot.documents())
