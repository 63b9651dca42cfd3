"""Peer systems for side-by-side evaluation; each answers with its top hit and never abstains."""
from __future__ import annotations

import tempfile
from typing import Sequence

from ..schema import Answer, Document, Quote
from ..retrievers.dense import DenseRetriever
from ..catalog.catalog import Catalog
from ..runtimes.embedder import MiniLMEmbedder


class _SentencePeer:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def document(self, doc_id: str) -> Document:
        return self.catalog.document(doc_id)

    def _hits(self, question: str) -> list[tuple[str, float]]:
        raise NotImplementedError

    def answer(self, question: str, history=None, doc_ids: Sequence[str] | None = None) -> Answer:
        hits = self._hits(question)
        if not hits:
            return Answer(question=question, text="", abstained=True)
        s = self.catalog.by_id[hits[0][0]]
        doc = self.catalog.docs[s.doc_id]
        quote = Quote(s.text, s.doc_id, doc.title, s.span.start, s.span.end, hits[0][1], s.index)
        return Answer(question=question, text=s.text, quotes=[quote])


class BM25Peer(_SentencePeer):
    """Sentence-level BM25, top sentence quoted."""

    def _hits(self, question):
        return self.catalog.bm25.search(question, 1)


class DensePeer(_SentencePeer):
    """Sentence-level all-MiniLM-L6-v2, top sentence quoted."""

    def __init__(self, catalog: Catalog, dense: DenseRetriever) -> None:
        super().__init__(catalog)
        self.dense = dense

    def _hits(self, question):
        return self.dense.search(question, 1)


class ChunksPeer:
    """The common LangChain recipe: 1000-character recursive chunks with 200 overlap, MiniLM,
    Chroma, the top 4 chunks cited whole."""

    def __init__(self, documents: list[Document], embedder: MiniLMEmbedder) -> None:
        import chromadb
        from chromadb.config import Settings
        from langchain_chroma import Chroma
        from langchain_core.documents import Document as LCDocument
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        self.docs = {d.id: d for d in documents}
        splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200, add_start_index=True)
        chunks = splitter.split_documents(
            [LCDocument(page_content=d.text, metadata={"doc_id": d.id, "title": d.title}) for d in documents])
        self._dir = tempfile.TemporaryDirectory()
        client = chromadb.PersistentClient(self._dir.name, settings=Settings(anonymized_telemetry=False))
        self.store = Chroma(client=client, collection_name="chunks", embedding_function=embedder)
        self.store.add_documents(chunks)

    def document(self, doc_id: str) -> Document:
        return self.docs[doc_id]

    def answer(self, question: str, history=None, doc_ids=None) -> Answer:
        hits = self.store.similarity_search_with_relevance_scores(question, k=4)
        quotes = []
        for chunk, score in hits:
            start = chunk.metadata["start_index"]
            quotes.append(Quote(chunk.page_content, chunk.metadata["doc_id"], chunk.metadata["title"],
                                start, start + len(chunk.page_content), float(score)))
        return Answer(question=question, text=quotes[0].text if quotes else "", quotes=quotes,
                      abstained=not quotes)


def make_peer(name: str, bot):
    """A peer by name, over the documents and models of an `Assistant`."""
    if name == "bm25":
        return BM25Peer(bot.catalog)
    if name == "dense":
        return DensePeer(bot.catalog, bot.retriever.dense)
    if name == "chunks":
        return ChunksPeer(bot.documents(), bot.embedder)
    raise ValueError(f"unknown peer {name!r}; choose from bm25, dense, chunks")
