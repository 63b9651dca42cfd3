"""The learned span reader: spans stay inside the sentence and are verbatim slices of it."""
import numpy as np

from assistant.readers.span_reader import MAX_ANSWER_TOKENS, SpanReader, best_span


def test_best_span_stays_in_the_sentence_and_in_order():
    # [CLS] q q [SEP] s s s s [SEP]: the question's tokens score highest but may not be chosen.
    sequence_ids = [None, 0, 0, None, 1, 1, 1, 1, None]
    start = np.array([0, 9, 9, 9, 1, 5, 0, 0, 9], dtype=float)
    end = np.array([0, 9, 9, 9, 0, 1, 0, 6, 9], dtype=float)
    assert best_span(start, end, sequence_ids) == (5, 7)
    # An end before the best start is not allowed: the best pair in order wins.
    end = np.array([0, 0, 0, 0, 8, 0, 1, 0, 0], dtype=float)
    assert best_span(start, end, sequence_ids) == (4, 4)


def test_best_span_has_a_length_limit():
    n = MAX_ANSWER_TOKENS + 10
    sequence_ids = [None] + [1] * n + [None]
    start = np.zeros(n + 2)
    end = np.zeros(n + 2)
    start[1], end[n] = 5, 5
    first, last = best_span(start, end, sequence_ids)
    assert last - first < MAX_ANSWER_TOKENS


def test_the_packaged_reader_marks_a_short_verbatim_answer():
    reader = SpanReader()
    sentence = "On Tuesday the city council approved a new budget for the public schools of the district."
    guess = reader.read("What did the city council approve?", sentence)
    answer = guess.text(sentence)
    assert sentence[guess.start:guess.end] == answer
    assert "budget" in answer and len(answer) < len(sentence) / 2
    sentence = "The bridge, which opened in 1932, carries about 160,000 vehicles a day."
    answer = reader.read("When did the bridge open?", sentence).text(sentence)
    assert answer == "1932"


def test_reader_confidence_is_its_best_span_score_and_is_reused():
    reader = SpanReader()
    question = "When did the bridge open?"
    sentence = "The bridge, which opened in 1932, carries about 160,000 vehicles a day."
    confidence = reader.confidence(question, sentence)
    assert confidence == reader.read(question, sentence).score
    assert reader._recent and len(reader._recent) == 1   # read() reused the abstainer's forward pass
    # A sentence that does not say is scored lower: the abstainer uses this.
    assert reader.confidence(question, "Tourists like the view of the river from the hill.") < confidence


def test_the_type_of_answer_narrows_the_choice_unless_the_reader_is_much_surer():
    question = "When did the bridge open?"
    sentence = "The bridge, which opened in 1932, carries about 160,000 vehicles a day."
    vehicles = sentence.index("160,000"), sentence.index("160,000") + len("160,000")
    narrowed = SpanReader(typed_margin=float("inf"))
    assert narrowed.read(question, sentence, [vehicles]).text(sentence) == "160,000"
    free = SpanReader(typed_margin=0.0)
    assert free.read(question, sentence, [vehicles]).text(sentence) == "1932"
    # The packaged margin comes from training/choose_reader_margin.py's file.
    assert 0.0 <= SpanReader().typed_margin < float("inf")


def test_short_answer_evaluator_scores_the_step_given_the_gold_sentence():
    from assistant.evaluation.datasets import Article
    from assistant.evaluation.gold import GoldItem
    from assistant.evaluation.short_answers import ShortAnswerEvaluator

    sentence = "The bridge, which opened in 1932, carries about 160,000 vehicles a day."
    article = Article("a", "A", sentence, [
        GoldItem(id="1", kind="factual", question="When did the bridge open?", answers=["1932"], evidence=[sentence]),
        GoldItem(id="2", kind="factual", question="How many cars cross it?", answers=["160,000"], evidence=[sentence])])
    figures = ShortAnswerEvaluator([article])(lambda q, s: "1932")
    assert figures == {"questions": 2, "f1": 0.5, "exact_match": 0.5}


def test_a_pair_read_ahead_is_not_read_again():
    question = "When did the bridge open?"
    sentence = "The bridge, which opened in 1932, carries about 160,000 vehicles a day."
    expected = SpanReader().confidence(question, sentence)
    reader = SpanReader()
    reader.read_ahead(question, sentence).result()
    loaded = reader._model

    class Unavailable:
        def __getattr__(self, name):
            raise AssertionError("the pair read ahead was read again")

    reader._model = Unavailable()
    try:
        assert reader.confidence(question, sentence) == expected
        assert reader.read(question, sentence).text(sentence) == "1932"
    finally:
        reader._model = loaded
