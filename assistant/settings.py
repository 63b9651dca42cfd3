"""Typed settings in one place; every field can be overridden by an ASSISTANT_* env variable."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

# Offline by default: these must be set before the ML libraries import. One BLAS thread: NumPy's
# OpenBLAS threads spin after each call and starved torch (the cross-encoder ran 4x slower).
for _key, _value in {
    "OPENBLAS_NUM_THREADS": "1",
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ANONYMIZED_TELEMETRY": "False",
    "TOKENIZERS_PARALLELISM": "false",
}.items():
    os.environ.setdefault(_key, _value)

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", extra="ignore")

    index_dir: Path = PROJECT_ROOT / "index"
    seeds_dir: Path = PROJECT_ROOT / "seeds"
    prompts_dir: Path = PROJECT_ROOT / "prompts"
    # the catalog of a Chroma server's index is saved here (an embedded index keeps it inside)
    cache_dir: Path = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "assistant"
    chroma_url: str | None = None
    collection_prefix: str = "assistant"
    chroma_timeout: float = 10.0  # seconds any Chroma server call may take

    # retrieval
    candidates: int = 30          # per retriever, before fusion
    rerank: int = 12              # fused candidates the learned ranker scores
    rrf_k: int = 60
    max_quotes: int = 3
    # the fine-tuned cross-encoder and span reader: "torch", or "onnx" (ONNX Runtime: a new process
    # answers without importing PyTorch, about 3 s sooner here; scores differ by int8 rounding from
    # those the shipped ranker and abstainer were trained on, see training/MODEL_CARD.md)
    model_runtime: Literal["torch", "onnx"] = "torch"

    # language model (optional): an OpenAI-compatible server writes the answer over the quotes
    llm_url: str | None = None            # e.g. http://127.0.0.1:8080/v1 (Ollama, llama.cpp, vLLM, ...)
    llm_model: str = "default"            # the model name the server knows
    llm_api_key: SecretStr | None = None  # sent to the server only; never logged or shown
    llm_timeout: float = 30.0             # seconds to wait for the server (each read of the stream)
    llm_max_tokens: int = 200
    llm_sentences: int = 6                # retrieved sentences the model is shown, numbered

    # ingest
    ingest_batch_sentences: int = 2000   # sentences embedded together before one store write
    ingest_jobs: int = 1                 # worker processes that read and split documents (1: none)

    # input limits
    max_question_chars: int = 2000
    max_history_messages: int = 12     # the last messages a follow-up is read with
    max_history_chars: int = 8000      # per message (a reply with its quotes fits)
    max_file_bytes: int = 20_000_000

    # UI
    host: str = "127.0.0.1"
    port: int = 7860


def get_settings(**overrides) -> Settings:
    return Settings(**{k: v for k, v in overrides.items() if v is not None})
