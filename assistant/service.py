"""`Assistant`: the one object the CLI, the UI and other programs talk to."""
from __future__ import annotations

import hashlib
import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Sequence, Sized

from langchain_core.language_models import BaseChatModel
from langchain_core.runnables import Runnable
from threadpoolctl import threadpool_limits
from tqdm import tqdm

from .answerers.base import AnswerStep, StreamingAnswerStep
from .answerers.extractive import ExtractiveAnswerer
from .catalog.catalog import Catalog
from .chains.rag import ChainInput, build_chain
from .errors import AssistantError, FeedbackError, InvalidDocumentError
from .feedback.log import FeedbackLog, RequestLog
from .feedback.record import NOT_IN_ARTICLE, Evidence, feedback_record
from .feedback.request import check_label, request_record
from .ingest.document_builder import build_item, file_doc_id, with_distinct_ids
from .ingest.fetcher import FetchLimits
from .ingest.indexer import INDEX_VERSION, Indexer
from .ingest.prepare import Prepared, prepare, prepare_items
from .ingest.readers import SUPPORTED, read_sidecar
from .rankers.abstainer import Abstainer
from .rankers.learned import LearnedRanker
from .readers.span_reader import SpanReader
from .retrievers.dense import DenseRetriever
from .retrievers.hybrid import HybridRetriever
from .routing.registry import Router
from .runtimes.embedder import MiniLMEmbedder, default_embedder
from .schema import FACT_REPLY_KINDS, Answer, AnswerKind, Document, Quote, Sentence
from .settings import Settings, beside_index, feedback_file, get_settings, requests_file
from .store.base import SentenceStore
from .store.chroma_store import ChromaStore
from .text.checks import check_doc_id, check_doc_ids, check_history, check_question
from .text.entities import warm_up as warm_up_parser

if TYPE_CHECKING:
    from .routing.suggestions import Offer

log = logging.getLogger(__name__)
# NumPy may have been imported before `assistant.settings` set OPENBLAS_NUM_THREADS: limit it here too.
threadpool_limits(1, user_api="blas")


@dataclass
class IngestReport:
    indexed: list[str] = field(default_factory=list)        # document ids written
    skipped: list[str] = field(default_factory=list)        # already stored with the same content
    failed: list[tuple[str, str]] = field(default_factory=list)   # (file or id, one-line reason)
    sentences: int = 0
    seconds: float = 0.0


class Assistant:
    """Question answering with verbatim quotes over the documents in one Chroma store.

    `Assistant()` opens the embedded store under `index/` and indexes `seeds/` (again whenever the
    seed files change); `index_dir=` or `chroma_url=` open another store, seeded only if asked.
    `llm=` (any LangChain chat model) or `ASSISTANT_LLM_URL` has a language model write the answers.
    Every part can be given instead of built from the settings: `store=` (any `SentenceStore`),
    `embedder=`, `ranker=`, `abstainer=`, `reader=`, `answer_step=`.
    """

    def __init__(self, index_dir: str | Path | None = None, chroma_url: str | None = None, *,
                 seed: bool | None = None, settings: Settings | None = None,
                 store: SentenceStore | None = None, embedder: MiniLMEmbedder | None = None,
                 ranker: LearnedRanker | None = None, abstainer: Abstainer | None = None,
                 reader: SpanReader | None = None,
                 answer_step: AnswerStep | None = None, llm: BaseChatModel | None = None) -> None:
        self.settings = settings or get_settings()
        chroma_url = chroma_url or (None if index_dir else self.settings.chroma_url)
        self.index_dir = Path(index_dir or self.settings.index_dir)
        self.chroma_url = chroma_url
        self._write_lock = threading.Lock()
        self.embedder = embedder or default_embedder()
        self.store = store or ChromaStore.connect(None if chroma_url else self.index_dir, chroma_url,
                                                  prefix=self.settings.collection_prefix,
                                                  timeout=self.settings.chroma_timeout)
        self.indexer = Indexer(self.store, self.embedder)
        # A store given without a place for its catalog keeps the catalog in memory only.
        given_only = store is not None and index_dir is None and chroma_url is None
        self.catalog = Catalog(self.store, None if given_only else self._catalog_file())
        self.retriever = HybridRetriever(catalog=self.catalog, dense=DenseRetriever(self.store, self.embedder),
                                         k=self.settings.rerank, candidates=self.settings.candidates, rrf_k=self.settings.rrf_k)
        runtime = self.settings.model_runtime
        self.reader = reader or SpanReader(runtime=runtime)
        self.ranker = ranker or LearnedRanker(runtime=runtime)
        self.abstainer = abstainer or Abstainer(self.reader)
        self.extractive = ExtractiveAnswerer(self.catalog, self.ranker, self.abstainer, self.reader,
                                             max_quotes=self.settings.max_quotes)
        if answer_step is None and (llm is not None or self.settings.llm_url):
            from .answerers.llm import LLMAnswerer

            answer_step = LLMAnswerer.from_settings(self.settings, self.extractive, model=llm)
        self.answer_step = answer_step or self.extractive
        self.router = Router(self.catalog, self.store, self.retriever, self.extractive.rank_candidates)
        self._chains = build_chain(self.retriever, self.answer_step, self.router)
        # Follow-up suggestions are checked by asking them: with a language model, through the
        # extractive step, not one model call each.
        self._offline = (self._chains if self.answer_step is self.extractive
                         else build_chain(self.retriever, self.extractive, self.router))
        if seed if seed is not None else (index_dir is None and chroma_url is None and store is None):
            self.sync_seeds()
        if self.catalog.file is not None and self.catalog.file.path.exists():
            # A saved catalog loads while the first question loads the models and Chroma's index.
            threading.Thread(target=self._preload, name="catalog-preload", daemon=True).start()
        self.feedback = FeedbackLog(feedback_file(self.settings, self.index_dir, self.chroma_url),
                                    self.settings.feedback_max_bytes)
        self.requests = RequestLog(requests_file(self.settings, self.index_dir, self.chroma_url),
                                   self.settings.feedback_max_bytes)

    def _preload(self) -> None:
        try:
            self.catalog.current
        except Exception as exc:    # the question that needs it reports the error
            log.debug("catalog preload failed: %s", exc)

    def _catalog_file(self) -> Path | None:
        """Beside the embedded index; for a server, in the user's cache, one file per server and prefix."""
        path = beside_index(self.settings, "catalog.pkl", self.index_dir, self.chroma_url)
        if self.chroma_url:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:   # no cache: every start reads the server's rows back
                log.warning("no catalog cache in %s: %s", path.parent, exc)
                return None
        return path


    # documents ---------------------------------------------------------------------------
    def add_document(self, text: str, doc_id: str | None = None, title: str | None = None,
                     metadata: dict[str, Any] | None = None, *, fmt: str = "text",
                     progress: bool = False) -> int:
        """Index a document (replacing one with the same id); returns the number of sentences."""
        return self._index(self._build({"text": text, "doc_id": doc_id, "title": title, "metadata": metadata,
                                        "fmt": fmt}), progress)

    def _index(self, doc: Document, progress: bool = False) -> int:
        with self._write_lock:
            n = self.indexer.index(doc, progress=progress)
            self.catalog.invalidate()
        return n

    def add_documents(self, documents: Iterable[dict[str, Any]], *, progress: bool = False,
                      batch_sentences: int | None = None, jobs: int | None = None,
                      on_written: Callable[[str, int], None] | None = None) -> IngestReport:
        """Index many documents: each item a dict with `text` and optionally `doc_id`, `title`,
        `metadata`, `fmt` (or `path` for a file). Their texts are embedded together in batches of
        about `batch_sentences`; each document is written whole; a document whose content is already
        stored under its id is skipped, so an interrupted run can simply be run again. `jobs` > 1:
        that many worker processes read and split the documents (they are spawned: a script calling
        this needs the usual `if __name__ == "__main__":` guard)."""
        report = IngestReport()
        batch_sentences = batch_sentences or self.settings.ingest_batch_sentences
        jobs = jobs or self.settings.ingest_jobs
        started = time.perf_counter()
        total = len(documents) if isinstance(documents, Sized) else None
        outcomes = prepare_items(with_distinct_ids(documents), self.settings.max_file_bytes,
                                 self.store.content_versions() if jobs > 1 else None, jobs, self.fetch_limits)
        bar = tqdm(outcomes, total=total, desc="ingest", unit="doc", disable=not progress, dynamic_ncols=True)
        batch: list[Prepared] = []

        def flush():
            if not batch:
                return
            with self._write_lock:
                for p, n in zip(batch, self.indexer.index_many(batch)):
                    report.indexed.append(p.doc.id)
                    report.sentences += n
                    if on_written:
                        on_written(p.doc.id, n)
                self.catalog.invalidate()
            batch.clear()
            bar.set_postfix_str(f"{report.sentences / (time.perf_counter() - started):.0f} sentences/s, "
                                f"{len(report.skipped)} unchanged, {len(report.failed)} failed")
        for outcome in bar:
            try:
                if outcome.error is not None:
                    raise InvalidDocumentError(outcome.error)
                if self.store.holds(outcome.doc):
                    report.skipped.append(outcome.doc.id)
                    continue
                prepared = outcome.prepared or prepare(outcome.doc)
            except AssistantError as exc:
                report.failed.append((outcome.name, str(exc)))
                continue
            if any(p.doc.id == prepared.doc.id for p in batch):   # the same id twice: the later one replaces it
                flush()
            batch.append(prepared)
            if sum(len(p.sentences) for p in batch) >= batch_sentences:
                flush()
        flush()
        bar.close()
        if report.indexed:   # the next process starts from the saved catalog
            self.catalog.persist()
        report.seconds = time.perf_counter() - started
        return report

    @property
    def fetch_limits(self) -> FetchLimits:
        s = self.settings
        return FetchLimits(s.url_timeout, s.url_max_bytes, s.url_max_redirects, s.allow_private_urls)

    def _build(self, item: dict[str, Any]) -> Document:
        return build_item(item, self.settings.max_file_bytes, self.fetch_limits)

    def add_file(self, path: str | Path, doc_id: str | None = None, title: str | None = None,
                 metadata: dict[str, Any] | None = None, *, progress: bool = False) -> int:
        """Index a .txt, .md or .html file; a `name.json` beside it adds metadata (title, author, date, url)."""
        return self._index(self._build({"path": path, "doc_id": doc_id, "title": title, "metadata": metadata}),
                           progress)

    def add_url(self, url: str, doc_id: str | None = None, title: str | None = None,
                metadata: dict[str, Any] | None = None, *, progress: bool = False) -> Document:
        """Fetch an article by its http(s) link and index it; returns the document stored. Its id
        is the page's canonical URL (or `doc_id`), its `source` the URL it was found at after
        redirects. A page whose text has not changed is not indexed again. Raises
        `UrlFetchError` (nothing stored) for a refused address, a page not found, a timeout, a
        page over `url_max_bytes`, or what is not HTML or plain text."""
        doc = self._build({"url": url, "doc_id": doc_id, "title": title, "metadata": metadata})
        if not self.store.holds(doc):
            self._index(doc, progress)
        return doc

    def remove_document(self, doc_id: str) -> None:
        self.document(check_doc_id(doc_id))   # raises DocumentNotFoundError
        with self._write_lock:
            self.store.delete_document(doc_id)
            self.catalog.invalidate()

    def document(self, doc_id: str) -> Document:
        if not isinstance(doc_id, str):
            raise InvalidDocumentError(f"a document id must be a string, not {type(doc_id).__name__}")
        return self.catalog.document(doc_id)

    def find_document(self, doc_id: str | None) -> Document | None:
        return self.catalog.docs.get(doc_id) if doc_id else None

    def documents(self) -> list[Document]:
        return sorted(self.catalog.docs.values(), key=lambda d: d.id)

    def sentences(self, doc_id: str) -> list[Sentence]:
        """The indexed sentences of a document, in order, with their offsets."""
        return list(self.catalog.by_doc.get(doc_id, []))

    def sentence_count(self, doc_id: str) -> int:
        return len(self.catalog.by_doc.get(doc_id, []))

    # seeds -------------------------------------------------------------------------------
    def _seed_files(self) -> list[Path]:
        root = self.settings.seeds_dir
        return sorted(p for p in root.iterdir() if p.suffix.lower() in SUPPORTED) if root.is_dir() else []

    def sync_seeds(self) -> None:
        """Index seeds/ when its content hash differs from the one the store was built from."""
        files = self._seed_files()
        digest = hashlib.sha256(INDEX_VERSION.encode())
        for path in files:
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
            sidecar = path.with_suffix(".json")
            if sidecar.exists():
                digest.update(sidecar.read_bytes())
        if self.store.get_state("seeds_hash") == digest.hexdigest():
            return
        wanted = set()
        for path in files:
            doc_id = read_sidecar(path).get("doc_id") or file_doc_id(path)
            wanted.add(doc_id)
            self.add_file(path, doc_id=doc_id, metadata={"seed": True})
        for doc in self.documents():
            if doc.metadata.get("seed") and doc.id not in wanted:
                self.remove_document(doc.id)
        self.store.set_state("seeds_hash", digest.hexdigest())

    # answering ---------------------------------------------------------------------------
    def check_question(self, question: str) -> str:
        return check_question(question, self.settings.max_question_chars)

    def check_doc_ids(self, doc_ids: Iterable[str] | None) -> list[str] | None:
        doc_ids = check_doc_ids(doc_ids)
        for doc_id in doc_ids or []:
            self.document(doc_id)
        return doc_ids

    def _inputs(self, question: str, history: list[dict] | None, doc_ids: Sequence[str] | None,
                viewing: str | None = None) -> dict[str, Any]:
        inputs = {"question": self.check_question(question),
                  "history": check_history(history, self.settings.max_history_messages, self.settings.max_history_chars),
                  "doc_ids": self.check_doc_ids(doc_ids),
                  "viewing": None if viewing is None else check_doc_id(viewing)}
        return inputs

    def answer(self, question: str, history: list[dict] | None = None,
               doc_ids: Sequence[str] | None = None, *, viewing: str | None = None) -> Answer:
        """The answer with checked quotes. `history`: the conversation before, as messages; an
        assistant message may carry the quotes it showed (`Answer.as_message()`), which "tell me
        more" goes on from. `viewing`: the document on screen, which "summarise the article" means."""
        return self.verified(self._chains.answer.invoke(self._inputs(question, history, doc_ids, viewing)))

    def stream(self, question: str, history: list[dict] | None = None,
               doc_ids: Sequence[str] | None = None, *, viewing: str | None = None) -> Iterator[str | Answer]:
        """The reply as it is written: pieces of text as the language model produces them, then the
        final `Answer` with its checked quotes. Without a model, and for requests about a whole
        article, the text comes in one piece."""
        routed = self._chains.route.invoke(self._inputs(question, history, doc_ids, viewing))
        if not isinstance(self.answer_step, StreamingAnswerStep) or routed["intent"].kind != AnswerKind.FACT:
            answer = self.verified(self._chains.respond.invoke(routed))
            if answer.text:
                yield answer.text
            yield answer
            return
        for piece in self.answer_step.stream(self._chains.fact_inputs.invoke(routed)):
            yield self.verified(piece) if isinstance(piece, Answer) else piece

    def suggest(self, answer: Answer, history: list[dict] | None = None,
                doc_ids: Sequence[str] | None = None) -> list[str]:
        """2-3 follow-up questions for the chat, each asked first and kept only when it quotes
        something the conversation has not shown yet."""
        return list(self.suggestions(answer, history, doc_ids))

    def suggestions(self, answer: Answer, history: list[dict] | None = None,
                    doc_ids: Sequence[str] | None = None) -> Iterator[str]:
        """The follow-ups of `suggest`, each as soon as it is found; stop iterating to stop asking.
        Bad history or documents raise here, before anything is asked."""
        from .routing.suggestions import suggestions

        doc_ids = self.check_doc_ids(doc_ids)
        history = check_history(history, self.settings.max_history_messages, self.settings.max_history_chars)
        return suggestions(answer, self.catalog, history, doc_ids,
                           lambda q, h: self.verified(self._offline.answer.invoke(self._inputs(q, h, doc_ids))))

    def verified(self, answer: Answer) -> Answer:
        """Keep only quotes that are exact slices of their stored document."""
        good = []
        for quote in answer.quotes:
            doc = self.catalog.docs.get(quote.doc_id)
            if doc is not None and doc.text[quote.start:quote.end] == quote.text:
                good.append(quote)
            else:
                log.error("dropped a quote that is not a verbatim slice of %s", quote.doc_id)
        # A written answer's [n] name its quotes by position: with one gone they would point wrongly.
        if answer.quotes and (not good or (answer.model and len(good) < len(answer.quotes))):
            return Answer(question=answer.question, text="", abstained=True,
                          standalone_question=answer.standalone_question)
        answer.quotes = good
        return answer

    # feedback ----------------------------------------------------------------------------
    def record_feedback(self, answer: Answer, verdict: str, evidence: Quote | str | None = None,
                        answer_text: str | None = None, *, history: list[dict] | None = None) -> dict[str, Any]:
        """Keep a person's verdict on a reply ("up" or "down") as a gold item in `feedback.jsonl`.
        `evidence`: the right passage, as a `Quote` (or {doc_id, start, end}) of a stored document or
        its exact text, or `NOT_IN_ARTICLE` ("unanswerable"); `answer_text`: a short answer;
        `history`: the conversation before the question. Returns the record written. Raises
        `FeedbackError` (nothing written) for an unknown verdict, a passage that is not in the
        documents, a reply whose quotes are not, a reply already rated, or a record over the cap."""
        record = self._feedback_record(answer, verdict, evidence, answer_text, history)
        self.feedback.append(record)
        return record

    def _feedback_record(self, answer, verdict, evidence, answer_text, history) -> dict[str, Any]:
        if not isinstance(answer, Answer):
            raise FeedbackError(f"feedback is on an Answer, not on {type(answer).__name__}")
        if answer.quotes and not self._all_verbatim(answer.quotes):
            raise FeedbackError("the reply's quotes are not passages of the stored documents")
        history = check_history(history, self.settings.max_history_messages, self.settings.max_history_chars)
        marked = self._evidence(evidence, answer)
        doc_id = marked.doc_id if isinstance(marked, Evidence) else answer.quotes[0].doc_id if answer.quotes else None
        return feedback_record(answer, verdict, evidence=marked, answer_text=answer_text, history=history,
                               doc_id=doc_id, index_version=self.index_version())

    def offered(self, answer: Answer) -> Offer | None:
        """The request offered as the first chip under a fact reply when the intent classifier was
        unsure what the question meant (its text and label), or None."""
        from .routing.suggestions import offer_of

        return offer_of(answer.question) if isinstance(answer, Answer) and answer.kind in FACT_REPLY_KINDS else None

    def request_as_question(self, answer: Answer, label: str) -> str | None:
        """Request `label` (one of `REQUEST_LABELS`) asked on its own, for the question of `answer`
        that meant it: "Who wrote the article?"; None for "mentions" when the question names
        nothing to look for. Raises `FeedbackError` for an unknown label or an `answer` that is not one."""
        from .routing.suggestions import request_offer

        if not isinstance(answer, Answer):
            raise FeedbackError(f"a request is asked for an Answer, not for {type(answer).__name__}")
        offer = request_offer(answer.question, check_label(label))
        return offer.text if offer else None

    def record_request(self, answer: Answer, label: str | None = None, *,
                       history: list[dict] | None = None, source: str = "offer") -> dict[str, Any]:
        """Keep that the person took a request for the question of `answer` (by default the request
        offered under it, `offered`): a phrasing in their words for retraining the intent classifier,
        in `feedback.requests.jsonl` beside the feedback file. `source`: "offer" (the chip taken) or
        "correction" (named in the 👎 panel). Returns the record written. Raises `FeedbackError`
        (nothing written) when nothing was offered and no `label` is given, for an unknown label or
        source, or when a request was already kept for this reply."""
        record = self._request_record(answer, label, history, source)
        self.requests.append(record)
        return record

    def _request_record(self, answer, label, history, source) -> dict[str, Any]:
        if not isinstance(answer, Answer):
            raise FeedbackError(f"a request is kept for an Answer, not for {type(answer).__name__}")
        if not self.settings.keep_requests:
            raise FeedbackError("requests are not kept (ASSISTANT_KEEP_REQUESTS=0)")
        self.check_question(answer.question)
        if label is None:
            offer = self.offered(answer)
            if offer is None:
                raise FeedbackError("no request was offered for this reply; name the request it meant")
            label = offer.label
        history = check_history(history, self.settings.max_history_messages, self.settings.max_history_chars)
        return request_record(answer, label, history=history, source=source, index_version=self.index_version())

    def record_correction(self, answer: Answer, meant: str, evidence: Quote | str | None = None,
                          answer_text: str | None = None, *, history: list[dict] | None = None
                          ) -> tuple[dict[str, Any], dict[str, Any]]:
        """A 👎 on `answer` whose question asked about the article: request `meant` (one of
        `REQUEST_LABELS`), as the 👎 panel keeps it. Writes the 👎 record, then the request record
        (`source: "correction"`), and returns both. Raises `FeedbackError` with nothing written for
        anything `record_feedback` or `record_request` refuses (a request already kept for the reply
        too). Only a write that fails between the two leaves the 👎 alone."""
        verdict = self._feedback_record(answer, "down", evidence, answer_text, history)
        request = self._request_record(answer, check_label(meant), history, "correction")
        self.feedback.check(verdict)
        self.requests.check(request)
        self.feedback.append(verdict)
        self.requests.append(request)
        return verdict, request

    def _all_verbatim(self, quotes: Sequence[Quote]) -> bool:
        docs = self.catalog.docs
        return all(q.doc_id in docs and docs[q.doc_id].text[q.start:q.end] == q.text for q in quotes)

    def _evidence(self, evidence, answer: Answer) -> Evidence | str | None:
        """The marked passage as an exact slice of a stored document (found by its text when only
        the text is given: first in the reply's documents)."""
        if evidence is None or evidence == NOT_IN_ARTICLE:
            return evidence
        if isinstance(evidence, dict):
            try:
                evidence = Quote(text=str(evidence.get("text") or ""), doc_id=str(evidence["doc_id"]), title="", start=int(evidence["start"]),
                                 end=int(evidence["end"]))
            except (KeyError, TypeError, ValueError):
                raise FeedbackError("evidence must have doc_id, start and end") from None
        docs = self.catalog.docs
        if isinstance(evidence, Quote):
            doc = docs.get(evidence.doc_id)
            if doc is None:
                raise FeedbackError(f"evidence: no document {evidence.doc_id!r}")
            if not 0 <= evidence.start < evidence.end <= len(doc.text) or not doc.text[evidence.start:evidence.end].strip():
                raise FeedbackError(f"evidence: characters {evidence.start}-{evidence.end} are not a passage of {evidence.doc_id!r}")
            if evidence.text and doc.text[evidence.start:evidence.end] != evidence.text:
                raise FeedbackError("evidence: the text is not what the document holds at those characters")
            return Evidence(doc.id, evidence.start, evidence.end, doc.text[evidence.start:evidence.end])
        if not isinstance(evidence, str) or not evidence.strip():
            raise FeedbackError("evidence must be a passage of a stored document or 'unanswerable'")
        first = [q.doc_id for q in answer.quotes]
        for doc_id in dict.fromkeys(first + sorted(docs)):
            doc = docs.get(doc_id)
            at = doc.text.find(evidence) if doc is not None else -1
            if at >= 0:
                return Evidence(doc_id, at, at + len(evidence), evidence)
        raise FeedbackError("evidence: that text is not a passage of any stored document")

    def index_version(self) -> str:
        """Changes whenever a document is added, changed or removed."""
        versions = sorted(self.store.content_versions().items())
        return hashlib.sha256(repr(versions).encode()).hexdigest()[:16]

    def warm_up(self) -> None:
        """Load the embedding, NER, span-reader and intent models and build the in-memory index now,
        not on first use."""
        self.embedder.warm_up()
        warm_up_parser()
        self.extractive.warm_up()
        self.router.warm_up()
        self.catalog.current

    def as_runnable(self) -> Runnable[ChainInput, Answer]:
        from langchain_core.runnables import RunnableLambda

        return RunnableLambda(lambda x: self.answer(x["question"], x.get("history"), x.get("doc_ids"),
                                                    viewing=x.get("viewing")),
                              name="assistant").with_types(input_type=ChainInput, output_type=Answer)
