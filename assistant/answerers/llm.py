"""Written answers from a language model, grounded in the retrieved sentences.

The extractive step runs first and decides whether to abstain (no model call when nothing relevant
was retrieved). Otherwise the model sees the question, the conversation and the best sentences
numbered, and writes a short answer citing them ([2]). Quotes are always the cited sentences
themselves, so invented text can never reach a quote; a reply that cites nothing given, or a
server that fails, gives the extractive answer with a one-line notice saying why.
"""
from __future__ import annotations

import logging
import queue
import re
import threading
import time
from pathlib import Path
from typing import Iterable, Iterator

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate, MessagesPlaceholder

from ..text.condense import message_text
from ..schema import Answer
from ..settings import Settings
from ..text.controls import strip_controls
from .base import AnswerInput
from .citations import read_citations
from .extractive import ExtractiveAnswerer

log = logging.getLogger(__name__)
HISTORY_MESSAGES = 4        # the last turns the model reads (the standalone question carries the rest)
HISTORY_CHARS = 600         # per message: a reply's first lines, not all its quotes
STOP = ["\nSentences:", "\nQuestion:"]
MAX_WORDS = 80              # the prompt asks for one or two short sentences: longer is rambling
ECHO = 0.5                  # a reply whose word 4-grams are mostly the instructions' repeats the prompt


class ReplyTooLong(Exception):
    """The model went past MAX_WORDS while streaming."""


class ReplyTimeout(Exception):
    """The whole reply took longer than the deadline (a server that streams forever)."""


def _grams(text: str, n: int = 4) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def repeats_prompt(reply: str, instructions: str) -> bool:
    """Most of the reply's word 4-grams stand in the instructions (a model that copies its prompt)."""
    grams = _grams(reply)
    return len(grams) >= 3 and len(grams & _grams(instructions)) / len(grams) >= ECHO


def within_deadline(pieces: Iterable[str], seconds: float) -> Iterator[str]:
    """`pieces` as they come, read in a thread so that the whole stream, not each read, has the
    deadline: a server that streams forever is cut off at `seconds` (ReplyTimeout). The thread stops
    reading at the next piece, which closes the connection; a silent server ends at the client's
    read timeout."""
    box: queue.Queue = queue.Queue(maxsize=64)
    stop = threading.Event()
    done = object()

    def read():
        try:
            for piece in pieces:
                if stop.is_set():
                    break
                box.put(piece)
        except BaseException as exc:     # handed to the caller, which reports it
            box.put(exc)
        finally:
            close = getattr(pieces, "close", None)
            if close is not None:
                close()
            box.put(done)

    threading.Thread(target=read, name="llm-stream", daemon=True).start()
    deadline = time.monotonic() + seconds
    try:
        while True:
            try:
                item = box.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise ReplyTimeout from None
            if item is done:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while True:               # let a reader blocked on a full box finish
            try:
                box.get_nowait()
            except queue.Empty:
                break


def load_prompt(prompts_dir: Path) -> ChatPromptTemplate:
    read = lambda name: (Path(prompts_dir) / name).read_text(encoding="utf-8")   # noqa: E731
    return ChatPromptTemplate.from_messages([("system", read("answer_system.md")),
                                             MessagesPlaceholder("history"),
                                             ("human", read("answer.md"))])


def chat_model(settings: Settings) -> BaseChatModel:
    """`ChatOpenAI` pointed at the configured server: Ollama, llama.cpp, vLLM, LM Studio and hosted
    APIs all speak this protocol. No retries: a failure falls back at once, the next question retries."""
    from langchain_openai import ChatOpenAI

    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "no-key"
    # `max_tokens` in the body: ChatOpenAI sends `max_completion_tokens`, which llama.cpp's server
    # ignores (a rambling model then ran into the timeout); every compatible server reads this one.
    return ChatOpenAI(base_url=settings.llm_url, model=settings.llm_model, api_key=key,
                      timeout=settings.llm_timeout, max_retries=0, temperature=0,
                      extra_body={"max_tokens": settings.llm_max_tokens}, streaming=True)


def describe_failure(exc: BaseException, url: str, timeout: float) -> str:
    """One line for the reader; never the API key."""
    import openai

    where = f"The language model at {url}"
    if isinstance(exc, (openai.APITimeoutError, ReplyTimeout)):
        why = f"did not answer in {timeout:g} s"
    elif isinstance(exc, openai.AuthenticationError):
        why = "refused the API key (401)"
    elif isinstance(exc, openai.APIConnectionError):
        why = "could not be reached"
    elif isinstance(exc, openai.APIStatusError):
        why = f"answered with HTTP {exc.status_code}"
    else:
        why = f"failed ({type(exc).__name__})"
    return f"{where} {why}; showing the extractive answer."


def _conversation(history: list[dict] | None) -> list[BaseMessage]:
    out: list[BaseMessage] = []
    for m in (history or [])[-HISTORY_MESSAGES:]:
        text = message_text(m.get("content"))[:HISTORY_CHARS]
        if text.strip():
            out.append(HumanMessage(text) if m.get("role") == "user" else AIMessage(text))
    return out


class LLMAnswerer:
    """An answer step (same seam as the extractive one) that can also stream: `stream(inputs)` yields
    the model's text as it arrives, then the final, checked `Answer`."""

    def __init__(self, model: BaseChatModel, extractive: ExtractiveAnswerer, *, url: str = "",
                 name: str = "", timeout: float = 30.0, sentences: int = 6, max_quotes: int = 3,
                 prompt: ChatPromptTemplate | None = None, prompts_dir: Path | None = None) -> None:
        # A small model may carry on with a new "Sentences:" block of its own: cut it there.
        model = model.bind(stop=STOP) if isinstance(model, BaseChatModel) else model
        prompt = prompt or load_prompt(prompts_dir)
        self.instructions = " ".join(getattr(getattr(m, "prompt", None), "template", "") for m in prompt.messages)
        self.chain = prompt | model | StrOutputParser()
        self.extractive = extractive
        self.url, self.name, self.timeout = url, name or "language model", timeout
        self.sentences = sentences
        self.max_quotes = max_quotes

    def __call__(self, inputs: AnswerInput) -> Answer:
        final = None
        for piece in self.stream(inputs):
            final = piece
        return final

    def stream(self, inputs: AnswerInput) -> Iterator[str | Answer]:
        fallback, ranked = self.extractive.decide(inputs)
        if fallback.abstained:    # not sure, or nothing relevant: the model is not asked
            yield fallback
            return
        question = inputs["standalone"]
        shown = ranked[: self.sentences]
        numbered = "\n".join(f"[{i}] {c.text}" for i, c in enumerate(shown, 1))
        written = []
        stream = self.chain.stream({"sentences": numbered, "question": question,
                                    "history": _conversation(inputs.get("history"))})
        try:
            for piece in within_deadline(stream, self.timeout):
                piece = strip_controls(piece)
                if piece:
                    written.append(piece)
                    if len("".join(written).split()) > MAX_WORDS:
                        raise ReplyTooLong
                    yield piece
        except ReplyTooLong:
            yield self._fallback(fallback, f"The language model's reply was not a short answer (over {MAX_WORDS} "
                                           "words); showing the extractive answer.")
            return
        except Exception as exc:     # the server, not our code: fall back, the next question retries
            log.warning("language model failed: %s", type(exc).__name__)
            yield self._fallback(fallback, describe_failure(exc, self.url, self.timeout))
            return
        reply = "".join(written)
        cited = read_citations(reply, len(shown), self.max_quotes)
        problem = ("repeated its instructions" if repeats_prompt(reply, self.instructions) else
                   "cited none of the given sentences" if not cited.sources else
                   "held nothing but citations" if not re.search(r"\w", re.sub(r"\[\d+\]", "", cited.text)) else "")
        if problem:
            yield self._fallback(fallback, f"The language model's reply {problem}; showing the extractive answer.")
            return
        yield Answer(question=inputs["question"], text=cited.text, standalone_question=question,
                     quotes=[shown[i].quote(shown[i].fused) for i in cited.sources], model=self.name)

    @staticmethod
    def _fallback(answer: Answer, notice: str) -> Answer:
        answer.notice = notice
        return answer

    @classmethod
    def from_settings(cls, settings: Settings, extractive: ExtractiveAnswerer,
                      model: BaseChatModel | None = None) -> "LLMAnswerer":
        """The configured server's model, or `model` (any LangChain chat model) when given."""
        if model is not None:
            name = getattr(model, "model_name", None) or getattr(model, "model", None) or type(model).__name__
            url = str(getattr(model, "openai_api_base", None) or getattr(model, "base_url", None) or name)
        else:
            model, name, url = chat_model(settings), settings.llm_model, settings.llm_url or ""
        return cls(model, extractive, url=url, name=str(name), timeout=settings.llm_timeout,
                   sentences=settings.llm_sentences, max_quotes=settings.max_quotes,
                   prompts_dir=settings.prompts_dir)
