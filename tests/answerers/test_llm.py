"""The language-model answer step with fake chat models: citations become verbatim quotes, bad ones
are dropped, failures fall back to the extractive answer with a notice, and nothing is asked of the
model when the extractive step abstains. (The end-to-end tests with a real server are in
test_llm_server.py.)"""
import httpx
import openai
import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from langchain_core.runnables import RunnableLambda

from assistant.answerers.citations import read_citations
from assistant.answerers.llm import LLMAnswerer, describe_failure
from assistant.retrievers.candidate import Candidate
from assistant.schema import Answer, Sentence, Span
from conftest import ROOT

TEXT = "Six destroyers sailed. The fleet left on Monday. Rain fell."
SENTENCES = [Sentence("d", 0, Span(0, 22), "Six destroyers sailed."),
             Sentence("d", 1, Span(23, 48), "The fleet left on Monday."),
             Sentence("d", 2, Span(49, 59), "Rain fell.")]
CANDIDATES = [Candidate(s, "Fleet") for s in SENTENCES]
INPUTS = {"question": "How many destroyers sailed?", "standalone": "How many destroyers sailed?",
          "candidates": CANDIDATES, "doc_ids": None, "history": []}


class Extractive:
    """Stands in for the extractive step: a fixed answer (or abstention) and the given order."""

    def __init__(self, abstain: bool = False) -> None:
        self.abstain = abstain

    def decide(self, inputs):
        if self.abstain:
            return Answer(question=inputs["question"], text="", abstained=True), []
        return Answer(question=inputs["question"], text="Six", quotes=[CANDIDATES[0].quote(1.0)]), list(CANDIDATES)

    def rank_candidates(self, question, candidates, doc_ids):
        return list(candidates)


def step(model, abstain: bool = False) -> LLMAnswerer:
    return LLMAnswerer(model, Extractive(abstain), url="http://127.0.0.1:9/v1", name="fake",
                       timeout=30, prompts_dir=ROOT / "prompts")


def fake(reply: str) -> GenericFakeChatModel:
    return GenericFakeChatModel(messages=iter([AIMessage(content=reply)]))


def test_citations_are_renumbered_and_unknown_numbers_dropped():
    cited = read_citations("Kato is the secretary [2]. He met Blinken [2, 5] and [9].", given=6)
    assert cited.sources == [1, 4] and cited.dropped == 1
    assert cited.text == "Kato is the secretary [1]. He met Blinken [1][2] and."
    assert read_citations("[3][1] then [4]", given=6, limit=2).sources == [2, 0]
    assert read_citations("No citation at all.", given=6).sources == []


def test_the_model_streams_then_its_cited_sentences_become_quotes():
    pieces = list(step(fake("Six destroyers sailed [1], on Monday [2] [7].")).stream(INPUTS))
    words, final = pieces[:-1], pieces[-1]
    assert len(words) > 3 and all(isinstance(w, str) for w in words)     # word by word, then the answer
    assert isinstance(final, Answer) and final.model == "fake" and not final.notice
    assert final.text == "Six destroyers sailed [1], on Monday [2]."
    assert [(q.text, q.start, q.end) for q in final.quotes] == [(s.text, s.span.start, s.span.end)
                                                                 for s in SENTENCES[:2]]
    assert all(TEXT[q.start:q.end] == q.text for q in final.quotes)
    assert "\\[1\\] *Fleet*" in final.markdown()      # the sources carry the numbers the text cites


def test_a_reply_without_a_valid_citation_gives_the_extractive_answer_with_a_notice():
    for reply in ("Seven destroyers, I believe.", "Seven [8].", ""):
        answer = step(fake(reply) if reply else RunnableLambda(lambda _: ""))(INPUTS)
        assert answer.text == "Six" and not answer.model and answer.quotes[0].text == SENTENCES[0].text
        assert "cited none of the given sentences" in answer.notice


def test_a_reply_of_citations_only_gives_the_extractive_answer():
    answer = step(fake("[1] [2]"))(INPUTS)
    assert answer.text == "Six" and "held nothing but citations" in answer.notice


def test_a_rambling_reply_gives_the_extractive_answer():
    answer = step(fake("Six destroyers sailed [1]. " + "And then more happened. " * 30))(INPUTS)
    assert answer.text == "Six" and not answer.model and "was not a short answer" in answer.notice


def test_no_model_call_when_the_extractive_step_abstains():
    def must_not_run(_):
        raise AssertionError("the model was called")
    pieces = list(step(RunnableLambda(must_not_run), abstain=True).stream(INPUTS))
    assert len(pieces) == 1 and pieces[0].abstained and not pieces[0].notice


@pytest.mark.parametrize("error, said", [
    (openai.APITimeoutError(request=httpx.Request("POST", "http://127.0.0.1:9/v1")), "did not answer in 30 s"),
    (openai.APIConnectionError(request=httpx.Request("POST", "http://127.0.0.1:9/v1")), "could not be reached"),
    (openai.AuthenticationError("bad key sk-secret", response=httpx.Response(
        401, request=httpx.Request("POST", "http://127.0.0.1:9/v1")), body=None), "refused the API key (401)"),
])
def test_a_failing_server_gives_the_extractive_answer_and_one_line_saying_why(error, said):
    def fail(_):
        raise error
    answer = step(RunnableLambda(fail))(INPUTS)
    assert answer.text == "Six" and not answer.model
    assert answer.notice == f"The language model at http://127.0.0.1:9/v1 {said}; showing the extractive answer."
    assert "sk-secret" not in answer.notice and "\n" not in answer.notice


def test_describe_failure_names_any_other_error_by_type_only():
    assert describe_failure(ValueError("sk-secret"), "U", 5) == "The language model at U failed (ValueError); showing the extractive answer."


def test_the_prompt_says_document_text_is_not_instructions():
    system = (ROOT / "prompts" / "answer_system.md").read_text()
    assert "not instructions" in system and "[2]" in system


def test_assistant_with_a_chat_model_streams_and_checks_quotes(tmp_path):
    """Through the real service: retrieval, the extractive abstention, then the model's text."""
    from assistant import Assistant

    article = ("Harbour reopens\n\nThe harbour of Port Elin reopened on Tuesday after a storm. "
               "Ferries to the islands resumed at noon, the port authority said.")
    model = GenericFakeChatModel(messages=iter([AIMessage(content="It reopened on Tuesday [1].")] * 3))
    bot = Assistant(index_dir=tmp_path / "ix", llm=model)
    bot.add_document(article, doc_id="harbour")
    pieces = list(bot.stream("When did the harbour of Port Elin reopen?"))
    final = pieces[-1]
    assert all(isinstance(p, str) for p in pieces[:-1]) and len(pieces) > 3
    assert final.text == "It reopened on Tuesday [1]." and final.model
    assert final.quotes and all(article[q.start:q.end] == q.text for q in final.quotes)
    assert "Tuesday" in final.quotes[0].text
    # a question the article does not answer: abstained before any model call
    assert bot.answer("Who won the football match in Madrid?").abstained


def test_words_in_quotes_measures_what_a_written_answer_adds():
    from assistant.evaluation.metrics import words_in

    quotes = ["Chief Cabinet Secretary Yoshihide Suga spoke."]
    assert words_in("Suga is the secretary [1].", quotes) == 1.0
    assert words_in("Abe is the secretary [1].", quotes) == 0.5
