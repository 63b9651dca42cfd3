"""The abstainer's three bands and its calibrated confidence, and "not sure" through the assistant."""
import json

import pytest

from assistant import Assistant
from assistant.rankers.abstainer import Abstainer
from assistant.runtimes.mlp import MLP, MODELS
from assistant.schema import AnswerKind


def abstainer(reader, **spec) -> Abstainer:
    shipped = json.loads((MODELS / "abstainer.json").read_text())
    return Abstainer(reader, MLP({**shipped, **spec}))


def test_bands(seed_bot):
    a = abstainer(seed_bot.reader, threshold=0.2, sure=0.6)
    assert [a.verdict(p) for p in (0.1, 0.2, 0.5, 0.6, 0.9)] == [
        AnswerKind.ABSTAINED, AnswerKind.UNCERTAIN, AnswerKind.UNCERTAIN, AnswerKind.FACT, AnswerKind.FACT]
    # A "sure" below the hard threshold leaves no "not sure" band.
    assert abstainer(seed_bot.reader, threshold=0.2, sure=0.1).verdict(0.15) == AnswerKind.ABSTAINED
    assert abstainer(seed_bot.reader, threshold=0.2, sure=0.1).verdict(0.25) == AnswerKind.FACT


def test_confidence_is_the_calibrated_probability(seed_bot):
    identity = abstainer(seed_bot.reader, calibration=[1.0, 0.0])
    assert identity.confidence(0.3) == pytest.approx(0.3)
    sharper = abstainer(seed_bot.reader, calibration=[2.0, 0.0])
    assert sharper.confidence(0.75) == pytest.approx(0.9)
    values = [sharper.confidence(p) for p in (0.0, 0.1, 0.5, 0.9, 1.0)]
    assert values == sorted(values) and 0 < values[0] and values[-1] < 1


def test_not_sure_through_the_assistant(seed_index, seed_bot):
    """With "sure" out of reach every fact reply is "not sure": the closest passages, verbatim and
    located, no short answer; a question about nothing in the article is still "not in the article"."""
    bot = Assistant(index_dir=seed_index, reader=seed_bot.reader,
                    abstainer=abstainer(seed_bot.reader, sure=1.0))
    a = bot.answer("Who is Japan's Chief Cabinet Secretary?")
    assert a.kind == AnswerKind.UNCERTAIN and a.abstained and a.text == "" and a.quotes
    assert any("Yoshihide Suga" in q.text for q in a.quotes)
    assert all(bot.document(q.doc_id).text[q.start:q.end] == q.text for q in a.quotes)
    assert 0 < a.confidence < 1 and a.markdown().startswith("**Not sure:**")
    hard = bot.answer("What is the boiling point of liquid nitrogen in Kelvin?")
    assert hard.kind == AnswerKind.ABSTAINED and not hard.quotes
    # The shipped assistant claims the answer to the same question.
    claimed = seed_bot.answer("Who is Japan's Chief Cabinet Secretary?")
    assert claimed.kind == AnswerKind.FACT and claimed.text == "Yoshihide Suga" and claimed.confidence > 0.5
