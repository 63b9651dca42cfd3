"""The learned parts: the NumPy MLP reproduces the fitted model, the shipped models match the
feature lists the code computes, and the cross-encoder and span reader forward passes are the trained
networks'."""
import json

import numpy as np
import pytest

from assistant.answerers.abstention import Abstainer
from assistant.rankers.cross_encoder import PATH as CROSS_ENCODER_PATH, CrossEncoder
from assistant.rankers.features import CANDIDATE_FEATURES
from assistant.rankers.learned import MODELS, LearnedRanker
from assistant.rankers.mlp import MLP
from assistant.rankers.near_words import NearWords


@pytest.mark.parametrize("kind", ["mlp", "logistic"])
def test_numpy_mlp_matches_sklearn(kind):
    from sklearn.linear_model import LogisticRegression
    from sklearn.neural_network import MLPClassifier

    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 5))
    y = (x[:, 0] + x[:, 1] * x[:, 2] > 0).astype(int)
    mean, scale = x.mean(0), x.std(0)
    model = (MLPClassifier((8,), max_iter=500, random_state=0) if kind == "mlp" else LogisticRegression())
    model.fit((x - mean) / scale, y)
    mlp = MLP.from_sklearn(model, list("abcde"), mean, scale)
    expected = model.predict_proba((x - mean) / scale)[:, 1]
    assert np.allclose(mlp.probability(x), expected, atol=1e-4)


def test_shipped_models_fit_the_code(seed_bot):
    ranker = LearnedRanker(seed_bot.answer_step.extractor)
    assert ranker.features[:len(CANDIDATE_FEATURES)] == CANDIDATE_FEATURES
    abstainer = seed_bot.answer_step.abstainer
    assert 0 < abstainer.threshold < 1
    spec = json.loads((MODELS / "abstainer.json").read_text())
    assert spec["features"] == list(abstainer.features)


def test_ranker_prefers_the_answering_sentence(seed_bot):
    step = seed_bot.answer_step
    question = "How many US troops are stationed in South Korea?"
    info = step.extractor.question(question)
    ranked = step.ranker.rank(info, seed_bot.retriever.search(question))
    assert "28,500" in ranked[0].candidate.text
    assert ranked[0].probability > ranked[-1].probability
    x = step.extractor.matrix(info, [r.candidate for r in ranked])
    assert x.shape == (len(ranked), len(CANDIDATE_FEATURES))
    assert x[:, CANDIDATE_FEATURES.index("dense_gap")].max() == 0.0


RUNTIMES = ["torch", "onnx"]
MODULES = {"torch": "assistant.store.minilm", "onnx": "assistant.store.minilm_graph"}


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_cross_encoder_forward_pass_is_the_trained_network(runtime):
    import sys

    import torch
    from safetensors.torch import load_file

    from assistant.rankers.cross_encoder import PATH, CrossEncoder
    from conftest import ROOT

    sys.path.insert(0, str(ROOT / "training"))
    from train_cross_encoder import Model, batch_tensors, tokenizer

    ce = CrossEncoder(runtime=runtime)
    assert type(ce.model).__module__ == MODULES[runtime]
    layers = ce.model.layers
    net = Model(layers)
    state = {k: v.float() for k, v in load_file(str(PATH)).items()}
    net.head.load_state_dict({"weight": state.pop("head.weight"), "bias": state.pop("head.bias")})
    net.bert.load_state_dict(state, strict=False)
    net.eval()
    pairs = [("Who won?", "The home team won the cup in 1990."), ("Where is it?", "It is in the north.")]
    with torch.no_grad():
        expected = net(*batch_tensors(tokenizer(96, padding=True), pairs)).numpy()
    # int8 linear layers at inference: within a few hundredths of a logit of the fp32 network
    assert np.allclose(ce.model.score_pairs(pairs), expected, atol=0.15)
    assert ce.model.layers == 4 and PATH.stat().st_size < 60_000_000


def test_a_cross_encoder_trained_with_context_reads_the_sentence_before(seed_bot, monkeypatch):
    catalog = seed_bot.catalog
    first, second = next(iter(catalog.by_doc.values()))[:2]
    assert catalog.previous_text(first) == "" and catalog.previous_text(second) == first.text
    ranker = seed_bot.answer_step.ranker
    ce = ranker.cross_encoder
    question, text, previous = "Who won the cup in 1990?", "He won the cup in 1990.", "Ann Lee joined the home team."
    # the shipped file was trained without context (its metadata says so): the context is not read
    assert not ce.reads_context
    assert ce.scores(question, [text], [previous])[0] == ce.scores(question, [text])[0]
    # a file trained with `--context previous` says so in its metadata, and then the context is read
    monkeypatch.setitem(ce.model.metadata, "context", "previous")
    assert ce.reads_context
    assert ce.scores(question, [text], [previous])[0] != ce.scores(question, [text], [""])[0]
    seen = []
    scores = ce.scores
    monkeypatch.setattr(ce, "scores", lambda q, texts, previous=None: seen.append(previous) or scores(q, texts, previous))
    question = "How many US troops are stationed in South Korea?"
    ranked = ranker.rank(seed_bot.answer_step.extractor.question(question), seed_bot.retriever.search(question))
    assert seen and len(seen[0]) == len(ranked)
    assert sorted(seen[0]) == sorted(catalog.previous_text(r.candidate.sentence) for r in ranked)


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_span_reader_forward_pass_is_the_trained_network(runtime):
    import sys

    import torch
    from safetensors.torch import load_file

    from assistant.readers.span_reader import PATH, SpanReader, best_span
    from conftest import ROOT

    sys.path.insert(0, str(ROOT / "training"))
    from train_reader import Model, encode, tensors, tokenizer

    reader = SpanReader(runtime=runtime)
    assert type(reader.model).__module__ == MODULES[runtime]
    net = Model(reader.model.layers)
    state = {k: v.float() for k, v in load_file(str(PATH)).items()}
    net.span.load_state_dict({"weight": state.pop("span.weight"), "bias": state.pop("span.bias")})
    net.bert.load_state_dict(state, strict=False)
    net.eval()
    sentence = "The home team won the cup in 1990 after a late goal."
    row = {"q": "When did the home team win the cup?", "sentence": sentence, "start": 29, "end": 33}
    batch = encode(tokenizer(128, padding=False), [row])
    with torch.no_grad():
        expected = net(*tensors(batch))[0].numpy()
    encoding, logits = reader.model.token_logits([(row["q"], sentence)], "span")[0]
    # int8 linear layers at inference: the fp32 network's logits up to quantization noise, and the
    # same span decoded from both
    assert np.corrcoef(logits.ravel(), expected.ravel())[0, 1] > 0.98
    spans = [best_span(x[:, 0], x[:, 1], encoding.sequence_ids) for x in (logits, expected)]
    assert spans[0] == spans[1]
    assert reader.read(row["q"], sentence).text(sentence) == "1990"
    assert PATH.stat().st_size + CROSS_ENCODER_PATH.stat().st_size < 60_000_000


def test_an_averaged_mlp_is_the_mean_of_its_members():
    rng = np.random.default_rng(1)
    specs = [{"features": ["a", "b"], "mean": [0.0, 0.0], "scale": [1.0, 1.0],
              "weights": [rng.normal(size=(2, 3)).tolist(), rng.normal(size=(3, 1)).tolist()],
              "biases": [[0.0] * 3, [0.1]]} for _ in range(3)]
    members = [MLP(s) for s in specs]
    averaged = MLP.average(members, threshold=0.3)
    x = rng.normal(size=(5, 2))
    assert np.allclose(averaged.probability(x), np.mean([m.probability(x) for m in members], axis=0))
    assert MLP(json.loads(json.dumps(averaged.spec))).spec["threshold"] == 0.3   # saved and loaded as JSON
    assert np.allclose(MLP.average(members[:1]).probability(x), members[0].probability(x))


def test_an_abstainer_using_the_reader_needs_one():
    from assistant.answerers.abstention import READER_FEATURES

    spec = {"features": list(READER_FEATURES), "mean": [0.0] * len(READER_FEATURES),
            "scale": [1.0] * len(READER_FEATURES), "weights": [[[0.0]] * len(READER_FEATURES)], "biases": [[0.0]]}
    with pytest.raises(ValueError, match="span reader"):
        Abstainer(MLP(spec))


def test_the_abstainer_reads_how_many_question_nouns_were_paraphrased():
    from assistant.answerers.abstention import PARAPHRASE_FEATURES, abstain_features
    from assistant.rankers.features import QuestionInfo
    from assistant.rankers.learned import CROSS_FEATURES, Ranked

    row = np.zeros(len(CANDIDATE_FEATURES) + len(CROSS_FEATURES), dtype=np.float32)
    ranked = [Ranked(None, 0.9, row), Ranked(None, 0.2, row)]
    column = PARAPHRASE_FEATURES.index("paraphrased")
    for n, value in ((0, 0.0), (1, 1 / 3), (5, 1.0)):
        info = QuestionInfo("q", ("t",), (), 1.0, 0, paraphrased=n)
        assert abstain_features(info, ranked, PARAPHRASE_FEATURES)[0, column] == pytest.approx(value)


def test_listwise_batches_keep_each_list_whole_and_the_loss_favours_its_gold():
    import random
    import sys

    import torch

    from conftest import ROOT

    sys.path.insert(0, str(ROOT / "training"))
    from train_cross_encoder import list_batches, listwise_loss

    rows = [{"q": f"q{i}", "kind": "answerable_alone", "texts": [f"s{i}.{j}" for j in range(6)],
             "y": [j == i % 6 for j in range(6)]} for i in range(12)]
    rows.append({"q": "off", "kind": "on_topic", "texts": ["a", "b", "c"], "y": [False] * 3})
    batches = list_batches(rows, random.Random(0), False, 16)
    pairs = [p for b in batches for p in b]
    assert len(pairs) == 12 * 5 + 2 and all(len(b) <= 16 for b in batches)
    for b in batches:    # every question's pairs in one batch, under one group number of that batch
        for q in {p[0] for p in b}:
            assert len({p[3] for p in b if p[0] == q}) == 1
            assert sum(p[0] == q for p in b) == sum(p[0] == q for p in pairs)
    batch = batches[0]
    gold = torch.tensor([10.0 if p[2] else 0.0 for p in batch])
    assert listwise_loss(gold, batch) < 0.01 < listwise_loss(-gold, batch)
    off = [p for p in pairs if p[0] == "off"]
    assert float(listwise_loss(torch.zeros(len(off)), off)) == 0.0    # no gold: BCE alone teaches it


def test_a_reader_trained_for_no_answer_marks_it_on_cls_and_its_confidence_subtracts_that(monkeypatch):
    import sys

    import torch

    from assistant.readers.span_reader import SpanReader
    from conftest import ROOT

    sys.path.insert(0, str(ROOT / "training"))
    from train_reader import encode, loss_of, tokenizer

    rows = [{"q": "When did the team win?", "sentence": "The team won in 1990.", "start": 16, "end": 20},
            {"q": "When did the team win?", "sentence": "The coach was new."}]
    (answer, span), (empty, target) = encode(tokenizer(128, padding=False), rows)
    assert target == (0, 0) and span[0] > 0 and answer.sequence_ids[span[0]] == 1
    length = max(len(answer.ids), len(empty.ids))
    logits = torch.zeros(1, length, 2)
    logits[0, 0] = 10.0                                  # all the weight on [CLS]
    batch = [(empty, target)]
    assert loss_of(logits, batch, no_answer=True) < 0.01 < loss_of(logits, batch)   # masked without the option

    reader = SpanReader()
    question, sentence = rows[0]["q"], rows[0]["sentence"]
    free, _, out = reader._free(question, sentence)
    monkeypatch.setitem(reader.model.metadata, "no_answer", "")
    assert reader.confidence(question, sentence) == free.score
    monkeypatch.setitem(reader.model.metadata, "no_answer", "cls")
    assert reader.confidence(question, sentence) == free.score - float(out[0, 0] + out[0, 1])


def test_near_words_map_a_word_to_the_closest_word_of_the_texts_only_above_the_threshold():
    vectors = {"film": [1.0, 0.0], "movie": [0.95, 0.312], "picture": [0.6, 0.8], "camera": [0.0, 1.0]}
    calls = []

    def encode(words):
        calls.append(list(words))
        return np.asarray([vectors.get(w, [0.0, 0.0]) for w in words], dtype=np.float32)

    near = NearWords(encode, threshold=0.9)
    assert near.matches(["movie"], ["The film won a prize.", "A camera crew came."]) == {"movie": "film"}
    assert near.matches(["picture"], ["The film won a prize."]) == {}     # cosine 0.6
    assert near.matches(["movie"], ["The film won."]) == {"movie": "film"}
    assert sum(len(c) for c in calls) == len(set(w for c in calls for w in c))   # each word embedded once
    small = NearWords(encode, threshold=0.9, cache_size=1)     # a full cache still returns every vector
    assert small.matches(["movie"], ["The film won a prize."]) == {"movie": "film"}
    assert small.vectors(["film", "movie", "camera"]).shape == (3, 2)


def test_near_words_with_the_real_embedder_match_synonyms_not_related_words():
    from assistant.store.embedder import default_embedder

    near = NearWords(default_embedder().query_model.encode)
    found = near.matches(["spokesman", "movie", "announce", "president"],
                         ["Ministry spokesperson Moon told reporters the film was said to please the leader."])
    assert found == {"spokesman": "spokesperson", "movie": "film"}


def test_a_paraphrased_question_noun_is_known_when_a_candidate_says_it_in_other_words(seed_bot):
    from assistant.rankers.features import FeatureExtractor
    from assistant.rankers.near_words import query_near_words

    extractor = FeatureExtractor(seed_bot.catalog, query_near_words())
    question = "Who is the ministry's spokesman?"
    candidates = seed_bot.retriever.search(question)
    alone = extractor.question(question)
    read = extractor.question(question, candidates=candidates)
    assert alone.unknown == 1 and read.unknown == 0 and read.paraphrased == 1
    assert "spokesperson" in read.terms and "spokesman" not in read.terms
    assert read.vocabulary > alone.vocabulary


def test_an_unknown_model_runtime_is_refused():
    from assistant.errors import InvalidSettingError
    from assistant.settings import get_settings

    with pytest.raises(ValueError, match="unknown model runtime 'ort'"):
        CrossEncoder(runtime="ort")
    with pytest.raises(InvalidSettingError, match="model_runtime"):
        get_settings(model_runtime="ort")
