"""Typed settings in one place; every field can be overridden by an ASSISTANT_* env variable."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from .errors import InvalidSettingError

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


URL = r"^https?://\S+$"


class Settings(BaseSettings):
    """Every number has bounds: a value outside them (or not a number) is refused when the settings
    are read, with one line naming the setting, instead of failing later or changing every answer."""

    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", extra="ignore")

    index_dir: Path = PROJECT_ROOT / "index"
    seeds_dir: Path = PROJECT_ROOT / "seeds"
    prompts_dir: Path = PROJECT_ROOT / "prompts"
    # the catalog of a Chroma server's index is saved here (an embedded index keeps it inside)
    cache_dir: Path = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "assistant"
    chroma_url: Annotated[str, Field(pattern=URL)] | None = None
    collection_prefix: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{2,100}$")] = "assistant"
    chroma_timeout: Annotated[float, Field(gt=0, le=3600)] = 10.0  # seconds any Chroma server call may take

    # retrieval
    candidates: Annotated[int, Field(ge=1, le=1000)] = 30      # per retriever, before fusion
    rerank: Annotated[int, Field(ge=1, le=200)] = 12           # fused candidates the learned ranker scores
    rrf_k: Annotated[int, Field(ge=1, le=10_000)] = 60
    max_quotes: Annotated[int, Field(ge=1, le=10)] = 3
    # the fine-tuned cross-encoder and span reader: "onnx" (ONNX Runtime: a new process answers
    # without importing PyTorch, and answers are faster) or "torch" (the runtime they were trained
    # in; scores differ by int8 rounding, see training/MODEL_CARD.md)
    model_runtime: Literal["torch", "onnx"] = "onnx"

    # language model (optional): an OpenAI-compatible server writes the answer over the quotes
    llm_url: Annotated[str, Field(pattern=URL)] | None = None   # e.g. http://127.0.0.1:8080/v1
    llm_model: Annotated[str, Field(min_length=1, max_length=200)] = "default"   # the name the server knows
    llm_api_key: SecretStr | None = None  # sent to the server only; never logged or shown
    llm_timeout: Annotated[float, Field(gt=0, le=3600)] = 30.0   # seconds for the whole reply
    llm_max_tokens: Annotated[int, Field(ge=1, le=4096)] = 200
    llm_sentences: Annotated[int, Field(ge=1, le=50)] = 6        # retrieved sentences the model is shown

    # ingest
    ingest_batch_sentences: Annotated[int, Field(ge=1, le=1_000_000)] = 2000  # embedded before one write
    ingest_jobs: Annotated[int, Field(ge=1, le=64)] = 1          # processes that read and split (1: none)

    # input limits
    max_question_chars: Annotated[int, Field(ge=1, le=100_000)] = 2000
    max_history_messages: Annotated[int, Field(ge=0, le=1000)] = 12     # the last messages a follow-up is read with
    max_history_chars: Annotated[int, Field(ge=1, le=1_000_000)] = 8000  # per message (a reply with its quotes fits)
    max_file_bytes: Annotated[int, Field(ge=1, le=1_000_000_000)] = 20_000_000

    # articles by link
    url_timeout: Annotated[float, Field(gt=0, le=300)] = 10.0         # seconds to connect, and between bytes read
    url_max_bytes: Annotated[int, Field(ge=1, le=100_000_000)] = 5_000_000   # a larger page is refused
    url_max_redirects: Annotated[int, Field(ge=0, le=20)] = 5
    # loopback, private, link-local and reserved addresses are refused (a link must not reach
    # this machine's or its network's services); 1 allows them, e.g. for a local test server
    allow_private_urls: bool = False

    # feedback from the chat (thumbs up or down), kept as a gold set; default: feedback.jsonl beside
    # the index (for a Chroma server, in cache_dir)
    feedback_file: Path | None = None
    feedback_max_bytes: Annotated[int, Field(ge=1000, le=10_000_000)] = 100_000   # per record
    # a request taken from the chip offered under a reply is kept with the question it answered, in
    # feedback.requests.jsonl beside the feedback file (phrasings to retrain the intent classifier)
    keep_requests: bool = True

    # UI
    host: Annotated[str, Field(min_length=1, max_length=255)] = "127.0.0.1"
    port: Annotated[int, Field(ge=1, le=65535)] = 7860
    # replies the chat computes at once (answering is CPU-bound: more than the cores only queues
    # inside the process; `benchmarks/chat.py` measures the choice)
    chat_concurrency: Annotated[int, Field(ge=1, le=64)] = 2

    def __init__(self, **values) -> None:
        try:
            super().__init__(**values)
        except ValidationError as exc:
            raise InvalidSettingError(describe(exc)) from None


def describe(exc: ValidationError) -> str:
    """The first problem, in one line: the setting, its environment variable, the value and why."""
    error = exc.errors(include_url=False)[0]
    name = str(error["loc"][0]) if error["loc"] else "settings"
    value = str(error.get("input"))
    value = value if len(value) <= 40 else value[:40] + "…"
    ctx = error.get("ctx") or {}
    why = error["msg"]
    if "pattern" in ctx:
        why = "not a valid value" + (" (expected an http:// or https:// URL)" if ctx["pattern"] == URL else "")
    return f"setting {name} (ASSISTANT_{name.upper()}) = {value!r}: {why}{_allowed(name)}"


def _allowed(name: str) -> str:
    field = Settings.model_fields.get(name)
    bounds = {k: getattr(m, k) for m in (field.metadata if field else []) for k in ("ge", "gt", "le")
              if getattr(m, k, None) is not None}
    if "le" not in bounds:
        return ""
    low = f"{bounds['ge']:,}" if "ge" in bounds else f"more than {bounds.get('gt', 0):,}"
    return f" (allowed: {low} to {bounds['le']:,})"


def beside_index(settings: Settings, name: str, index_dir: Path | None = None, chroma_url: str | None = None) -> Path:
    """A file that belongs to an index: inside the embedded index's folder; for a Chroma server, in
    the cache folder, named after the server and collection prefix."""
    if not chroma_url:
        return Path(index_dir or settings.index_dir) / name
    key = hashlib.sha1(f"{chroma_url}|{settings.collection_prefix}".encode()).hexdigest()[:16]
    stem, dot, ext = name.partition(".")
    return settings.cache_dir / f"{stem}-{key}{dot}{ext}"


def feedback_file(settings: Settings, index_dir: Path | None = None, chroma_url: str | None = None) -> Path:
    return settings.feedback_file or beside_index(settings, "feedback.jsonl", index_dir, chroma_url)


def requests_file(settings: Settings, index_dir: Path | None = None, chroma_url: str | None = None) -> Path:
    """The requests taken from the chips: beside the feedback file (`feedback.requests.jsonl`)."""
    path = feedback_file(settings, index_dir, chroma_url)
    return path.with_name(f"{path.stem}.requests.jsonl")


def get_settings(**overrides) -> Settings:
    return Settings(**{k: v for k, v in overrides.items() if v is not None})


# Command-line options that override a setting: option -> setting.
CLI_OPTIONS = {"llm_url": "llm_url", "llm_model": "llm_model", "llm_timeout": "llm_timeout", "host": "host",
               "port": "port", "batch_sentences": "ingest_batch_sentences", "jobs": "ingest_jobs"}


def settings_of(args) -> Settings:
    """Settings with the command line's options (an argparse namespace) over the environment's."""
    return get_settings(**{setting: getattr(args, option, None) for option, setting in CLI_OPTIONS.items()})
