"""Text analysis: terms, acronyms, question types, condensing, the parse cache."""

from assistant.text.question import ellipsis_fragment, expected_labels
from assistant.text.condense import condense
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


def test_terms_are_snowball_english_stems():
    assert terms("The agreements were generously running, 19,000 nations") == [
        "agreement", "generous", "run", "19,000", "19000", "nation"]


def test_a_prefetched_parse_is_waited_for_not_repeated(monkeypatch):
    from assistant.text import entities

    nlp, calls = entities.PIPELINE.get(), []

    class Counting:
        def get(self):
            return lambda text: calls.append(text) or nlp(text)

    monkeypatch.setattr(entities, "PIPELINE", Counting())
    question = "Which river runs past the old mill in the valley?"
    entities.prefetch(question)
    doc = entities.parse(question)
    assert calls == [question] and doc.text == question and entities.parse(question) is doc
    assert [t.text for t in doc][-1] == "?"
