"""Ingest: raw file or text -> clean stored text with title and metadata -> sentences."""
from .document_builder import build_document
from .readers import read_file
from .splitter import split_sentences

__all__ = ["build_document", "read_file", "split_sentences"]
