"""The learned parts: the NumPy MLP reproduces the fitted model, the shipped models match the
feature lists the code computes, and the cross-encoder and span reader forward passes are the trained
networks'."""
import json

import numpy as np
import pytest

from assistant.rankers.abstainer import ABSTAIN_FEATURES, Abstainer
from assistant.rankers.cross_encoder import PATH as CROSS_ENCODER_PATH, CrossEncoder, length_groups
from assistant.rankers.features import CANDIDATE_FEATURES, GAPS
from assistant.rankers.learned import CROSS_K, RANKER_FEATURES, LearnedRanker
from assistant.runtimes.mlp import MLP, MODELS


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
    ranker = LearnedRanker()
    assert tuple(ranker.base.features) == CANDIDATE_FEATURES and tuple(ranker.model.features) == RANKER_FEATURES
    assert 0 < seed_bot.abstainer.threshold < 1
    for name in ("abstainer", "verifier"):
        assert tuple(json.loads((MODELS / f"{name}.json").read_text())["features"]) == ABSTAIN_FEATURES
    assert 0 < seed_bot.abstainer.sure < 1


def test_a_model_trained_on_other_features_is_refused(seed_bot):
    spec = {"features": ["top"], "mean": [0.0], "scale": [1.0], "weights": [[[0.0]]], "biases": [[0.0]]}
    with pytest.raises(ValueError, match="other features"):
        Abstainer(seed_bot.reader, MLP(spec))
    with pytest.raises(ValueError, match="verifier model was trained on other features"):
        Abstainer(seed_bot.reader, verifier=MLP(spec))
    with pytest.raises(ValueError, match="other features"):
        LearnedRanker(model=MLP(spec))


def test_ranker_prefers_the_answering_sentence(seed_bot):
    extractor = seed_bot.extractive.extractor
    question = "How many US troops are stationed in South Korea?"
    info = extractor.question(question)
    ranked = seed_bot.extractive.rank(info, seed_bot.retriever.search(question))
    assert "28,500" in ranked[0].candidate.text
    assert ranked[0].probability > ranked[-1].probability
    # the gap is each cross-encoder score's distance from the best one (here the US troops in
    # Japan sentence reads a little better to the cross-encoder alone; the ranker still puts it second)
    assert max(r.feature("cross_gap") for r in ranked) == 0.0
    assert all(np.isclose(r.feature("cross_gap"), r.feature("cross") - max(x.feature("cross") for x in ranked))
               for r in ranked)
    x = extractor.matrix(info, [r.candidate for r in ranked])
    assert x.shape == (len(ranked), len(CANDIDATE_FEATURES))
    column = {name: i for i, name in enumerate(CANDIDATE_FEATURES)}
    for gap, of in GAPS.items():     # each gap is its feature's distance from the best candidate
        assert np.allclose(x[:, column[gap]], x[:, column[of]] - x[:, column[of]].max())
    assert np.allclose(x[:, column["fused_rank"]], 1.0 / np.arange(1, len(ranked) + 1))


def test_the_cross_encoder_reads_the_first_stages_best_and_the_rest_follow_unscored(seed_bot, monkeypatch):
    question = "How many US troops are stationed in South Korea?"
    candidates = seed_bot.retriever.search(question)
    assert len(candidates) > CROSS_K
    read: list[str] = []
    scores = seed_bot.extractive.ranker.cross_encoder.scores
    monkeypatch.setattr(seed_bot.extractive.ranker.cross_encoder, "scores",
                        lambda q, texts: read.extend(texts) or scores(q, texts))
    answer, ordered = seed_bot.extractive.decide(
        {"question": question, "standalone": question, "candidates": candidates, "doc_ids": None})
    assert len(read) == CROSS_K and "28,500" in answer.quotes[0].text
    # a language model is shown more sentences than were scored: the scored first, then the others
    # in retrieval order
    assert sorted(c.sentence.id for c in ordered) == sorted(c.sentence.id for c in candidates)
    assert {c.text for c in ordered[:CROSS_K]} == set(read)
    rest = [c.sentence.id for c in candidates if c.text not in read]
    assert [c.sentence.id for c in ordered[CROSS_K:]] == rest


RUNTIMES = ["torch", "onnx"]
MODULES = {"torch": "assistant.runtimes.minilm", "onnx": "assistant.runtimes.minilm_graph"}


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


def test_pairs_are_batched_by_length_shortest_first():
    assert length_groups([]) == []
    assert length_groups([60, 20, 62, 21, 24, 90]) == [[1, 3, 4], [0, 2], [5]]
    assert length_groups([30, 30, 30]) == [[0, 1, 2]]
    assert length_groups([10, 40], slack=10) == [[0, 1]]


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_the_cross_encoder_scores_each_text_in_its_place_whatever_the_batches(runtime):
    ce = CrossEncoder(runtime=runtime)
    q = "Which ministry announced that the talks would reopen?"
    texts = ["It was not clear when.",
             "The Defense Ministry said on Tuesday that it plans to reopen talks with its neighbour on a "
             "pact to share military intelligence, in what appears to be an effort to bolster ties.",
             "The ministry spokesperson spoke at a briefing.",
             "Officials of both countries signed a first agreement on the exchange of classified military "
             "information four years ago, after long and difficult negotiations in the capital."]
    grouped = ce.scores(q, texts)
    # texts 0 and 2 are short, 3 and 1 long: two batches, shortest first, each score back in its
    # text's place (scored in the same order: a batch's row order can move the last float bit)
    lengths = [sum(e.attention_mask) for e in ce.model.pairs.encode([(q, t) for t in texts])]
    assert length_groups(lengths) == [[0, 2], [3, 1]]
    expected = np.zeros(len(texts), dtype=np.float32)
    for group in ([0, 2], [3, 1]):
        expected[group] = ce.model.score_pairs([(q, texts[i]) for i in group])
    assert np.array_equal(grouped, expected)
    # int8 activations are quantized per batch: one batch of all four moves scores by rounding only
    one_batch = ce.model.score_pairs([(q, t) for t in texts])
    assert int(np.argmax(grouped)) == 1 and list(np.argsort(grouped)) == list(np.argsort(one_batch))


def test_an_unknown_model_runtime_is_refused():
    from assistant.errors import InvalidSettingError
    from assistant.settings import get_settings

    with pytest.raises(ValueError, match="unknown model runtime 'ort'"):
        CrossEncoder(runtime="ort")
    with pytest.raises(InvalidSettingError, match="model_runtime"):
        get_settings(model_runtime="ort")


def test_the_assistant_uses_the_components_it_is_given_and_warm_up_loads_their_models(tmp_path):
    from assistant.readers.span_reader import SpanReader
    from assistant.service import Assistant

    reader = SpanReader()
    ranker = LearnedRanker(cross_encoder=CrossEncoder())
    abstainer = Abstainer(reader)
    bot = Assistant(index_dir=tmp_path, seed=True, ranker=ranker, abstainer=abstainer, reader=reader)
    assert (bot.extractive.ranker, bot.extractive.abstainer, bot.extractive.reader) == (ranker, abstainer, reader)
    assert not reader._model.loaded and not ranker.cross_encoder._model.loaded   # nothing loads on construction
    bot.warm_up()
    assert reader._model.loaded and ranker.cross_encoder._model.loaded
    answer = bot.answer("How many US troops are stationed in South Korea?")
    assert "28,500" in answer.quotes[0].text
