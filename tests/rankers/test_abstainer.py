"""The three bands (abstainer and verifier), the calibrated confidence, and "not sure" through the
assistant."""
import json

import pytest

from assistant import Assistant
from assistant.rankers.abstainer import Abstainer
from assistant.runtimes.mlp import MLP, MODELS
from assistant.schema import AnswerKind


def abstainer(reader, threshold: float | None = None, **verifier) -> Abstainer:
    shipped = json.loads((MODELS / "abstainer.json").read_text())
    checker = json.loads((MODELS / "verifier.json").read_text())
    if threshold is not None:
        shipped["threshold"] = threshold
    return Abstainer(reader, MLP(shipped), MLP({**checker, **verifier}))


def test_bands(seed_bot):
    a = abstainer(seed_bot.reader, threshold=0.2, sure=0.6)
    # Under the abstainer's threshold nothing is quoted, however sure the verifier is.
    assert a.verdict(0.1, 0.99) == AnswerKind.ABSTAINED
    assert [a.verdict(0.5, c) for c in (0.1, 0.59, 0.6, 0.9)] == [
        AnswerKind.UNCERTAIN, AnswerKind.UNCERTAIN, AnswerKind.FACT, AnswerKind.FACT]
    assert a.verdict(0.2, 0.6) == AnswerKind.FACT


def test_doubt_about_the_first_quote_lowers_confidence(seed_bot):
    """Of two ranked lists alike but for the cross-encoder's and the reader's scores of the best
    candidate, the doubted one gets the lower confidence."""
    import numpy as np

    from assistant.rankers.abstainer import ABSTAIN_FEATURES

    a = seed_bot.abstainer
    x = np.asarray(a.verifier.mean, dtype=np.float32)[None, :].copy()
    doubted = x.copy()
    for name in ("cross", "reader"):
        doubted[0, ABSTAIN_FEATURES.index(name)] -= 2 * a.verifier.scale[ABSTAIN_FEATURES.index(name)]
    assert a.verifier.probability(doubted)[0] < a.verifier.probability(x)[0]


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


@pytest.mark.parametrize("question", ["How old is Yoshihide Suga?", "Where was Tony Blinken born?",
                                      "How many troops does Russia keep in Japan?"])
def test_questions_the_seed_does_not_answer_claim_nothing(seed_bot, question):
    """Rows of the trust issue's table: the article names the person or the troops, not the age,
    the birthplace or Russia's troops (the issue found "Tokyo", "Tokyo" and "28,500" claimed)."""
    a = seed_bot.answer(question)
    assert a.kind in (AnswerKind.UNCERTAIN, AnswerKind.ABSTAINED) and a.abstained and a.text == ""
