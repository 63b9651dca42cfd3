"""Settings out of bounds and unusable gold files: one typed line, at once, nothing changed."""
import os
import subprocess
import sys

import pytest

from conftest import ROOT


def cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "assistant", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, env={**os.environ, **(env or {})})


BAD = [("CANDIDATES", "0"), ("CANDIDATES", "-5"), ("MAX_QUOTES", "lots"), ("PORT", "99999"), ("RERANK", "0"),
       ("MAX_QUOTES", "-1"), ("RRF_K", "-60"), ("CHROMA_TIMEOUT", "-1"), ("LLM_TIMEOUT", "0"),
       ("LLM_URL", "file:///etc/passwd"), ("INGEST_JOBS", "0"), ("MAX_QUESTION_CHARS", "1e9"),
       ("COLLECTION_PREFIX", "a b")]


@pytest.mark.parametrize("name,value", BAD, ids=[f"{n}={v}" for n, v in BAD])
def test_a_bad_setting_is_one_line_naming_it(tmp_path, name, value):
    out = cli("documents", "--index", tmp_path / "ix", env={f"ASSISTANT_{name}": value})
    assert out.returncode == 1 and "Traceback" not in out.stderr
    (line,) = out.stderr.strip().splitlines()
    assert line.startswith("error: setting ") and f"ASSISTANT_{name}" in line
    assert not (tmp_path / "ix").exists()


def test_settings_in_python_raise_the_typed_error_with_the_range():
    from assistant.errors import InvalidSettingError
    from assistant.settings import Settings

    with pytest.raises(InvalidSettingError, match=r"candidates .* \(allowed: 1 to 1,000\)"):
        Settings(candidates=0)
    with pytest.raises(InvalidSettingError, match="port"):
        Settings(port=99999)
    assert Settings(candidates=1, max_quotes=10, port=65535).port == 65535


def test_the_chat_refuses_a_bad_port_before_it_opens_anything(tmp_path):
    out = cli("chat", "--port", "99999", "--index", tmp_path / "ix")
    assert out.returncode == 1 and out.stderr.strip().splitlines()[-1].startswith("error: setting port")
    assert not (tmp_path / "ix").exists()      # refused when the settings are read, not when it binds


def test_gold_files_that_break_the_json_reader_are_one_line(tmp_path):
    deep = tmp_path / "deep.jsonl"
    deep.write_text("[" * 100_000 + "\n", encoding="utf-8")
    big = tmp_path / "big.jsonl"
    big.write_text('{"id": "a", "kind": "factual", "question": "q", "answers": ["1"], "evidence": ["x"], "n": '
                   + "9" * 5000 + "}\n", encoding="utf-8")
    for path, said in ((deep, "nested too deeply"), (big, "4300 digits")):
        out = cli("eval", path)
        assert out.returncode == 2 and "Traceback" not in out.stderr, out.stderr[-300:]
        (line,) = out.stderr.strip().splitlines()
        assert line.startswith("error: ") and said in line


@pytest.mark.parametrize("option", ["--limit", "--variants"])
@pytest.mark.parametrize("value", ["-1", "0", "many"])
def test_eval_counts_below_one_are_refused(option, value):
    out = cli("eval", ROOT / "gold" / "seed.jsonl", option, value)
    assert out.returncode == 2 and f"argument {option}" in out.stderr.strip().splitlines()[-1]
