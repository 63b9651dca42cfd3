"""A damaged index is refused with one line and left as it is: nothing new is written beside it."""
import os
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, SEED


@pytest.fixture(scope="module")
def good_index(tmp_path_factory):
    path = tmp_path_factory.mktemp("good") / "ix"
    out = subprocess.run([sys.executable, "-m", "assistant", "ingest", str(SEED), "--index", str(path)],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return path


def snapshot(path):
    return sorted((str(p.relative_to(path)), p.stat().st_size) for p in path.rglob("*"))


def damage(db, how):
    size = db.stat().st_size
    if how == "empty":
        db.write_bytes(b"")
    elif how == "header":
        with open(db, "r+b") as f:
            f.write(os.urandom(100))
    else:
        with open(db, "r+b") as f:
            f.seek({"early": 8192, "late": max(0, size - 70_000)}[how])
            f.write(os.urandom(65_536))


@pytest.mark.parametrize("how", ["empty", "header", "early", "late"])
def test_damaged_index_is_refused_in_one_line(good_index, tmp_path, how):
    from assistant import Assistant
    from assistant.errors import BrokenIndexError

    path = tmp_path / "ix"
    shutil.copytree(good_index, path)
    damage(path / "chroma.sqlite3", how)
    before = snapshot(path)
    with pytest.raises(BrokenIndexError):
        bot = Assistant(index_dir=path)
        bot.answer("How many US troops are stationed in South Korea?")
    for command in (["documents"], ["ask", "Who?"], ["ingest", str(SEED)]):
        out = subprocess.run([sys.executable, "-m", "assistant", *command, "--index", str(path)],
                             cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert out.returncode == 1 and "Traceback" not in out.stderr
        assert out.stderr.strip().splitlines()[-1].startswith("error:") and "broken" in out.stderr
    assert snapshot(path) == before
