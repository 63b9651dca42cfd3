"""`FeedbackLog`: the append-only JSONL file of feedback records, safe for many threads and
processes writing at once."""
from __future__ import annotations

import json
import logging
import os
import threading
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from ..errors import FeedbackError
from .request import record_label

log = logging.getLogger(__name__)
LOCK_SECONDS = 10.0


class FeedbackLog:
    """Each record is one line written with one `write` on a file opened for appending, under a
    lock file, then flushed to disk: a reader never sees half a record, and no record is lost when
    several browser sessions or processes save at once. A reply is rated once (its record id)."""

    what, needs = "feedback", "no id or verdict"
    already = "feedback on this reply was already saved"

    def __init__(self, path: str | Path, max_bytes: int = 100_000) -> None:
        self.path = Path(path)
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._file_lock = FileLock(str(self.path) + ".lock", timeout=LOCK_SECONDS)
        self._seen: set[str] = set()
        self._scanned = 0    # bytes of the file whose record ids are in `_seen`

    def _encoded(self, record: dict[str, Any]) -> bytes:
        data = (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
        if len(data) > self.max_bytes:
            raise FeedbackError(f"the feedback record is {len(data):,} bytes; at most {self.max_bytes:,} "
                                "(ASSISTANT_FEEDBACK_MAX_BYTES)")
        return data

    def check(self, record: dict[str, Any]) -> None:
        """Raise `FeedbackError` now for a record `append` would refuse (too long, or its reply's
        record already written), writing nothing: for two records that are kept together."""
        self._encoded(record)
        try:
            with self._lock, self._file_lock:
                self._scan()
        except Timeout:
            raise FeedbackError(f"the feedback file {self.path} is locked by another process; try again") from None
        except OSError as exc:
            raise FeedbackError(f"cannot read the feedback file {self.path}: {exc.strerror or exc}") from None
        if record["id"] in self._seen:
            raise FeedbackError(self.already)

    def append(self, record: dict[str, Any]) -> None:
        data = self._encoded(record)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._lock, self._file_lock:
                self._scan()
                if record["id"] in self._seen:
                    raise FeedbackError(self.already)
                fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
                try:
                    size = os.fstat(fd).st_size
                    if size and not self._ends_with_newline(size):   # a line cut short by a crash
                        data = b"\n" + data
                    view = memoryview(data)
                    while view:
                        view = view[os.write(fd, view):]
                    os.fsync(fd)
                finally:
                    os.close(fd)
                self._seen.add(record["id"])
        except Timeout:
            raise FeedbackError(f"the feedback file {self.path} is locked by another process; try again") from None
        except OSError as exc:
            raise FeedbackError(f"cannot write the feedback file {self.path}: {exc.strerror or exc}") from None

    def _ends_with_newline(self, size: int) -> bool:
        with open(self.path, "rb") as f:
            f.seek(size - 1)
            return f.read(1) == b"\n"

    def _scan(self) -> None:
        """Add the ids of the records written since the last look (by any process)."""
        try:
            with open(self.path, "rb") as f:
                f.seek(self._scanned)
                tail = f.read()
        except FileNotFoundError:
            return
        whole = tail[: tail.rfind(b"\n") + 1]
        for line in whole.splitlines():
            try:
                record = json.loads(line)
            except (ValueError, RecursionError):
                continue
            if isinstance(record, dict) and isinstance(record.get("id"), str):
                self._seen.add(record["id"])
        self._scanned += len(whole)

    def is_record(self, record: dict[str, Any]) -> bool:
        return record.get("verdict") in ("up", "down")

    def read(self) -> tuple[list[tuple[int, dict[str, Any]]], list[str]]:
        """(line number, record) for every readable record, and one line for each that is not."""
        records, problems = [], []
        try:
            text = self.path.read_bytes().decode("utf-8", errors="replace")
        except FileNotFoundError:
            return [], []
        except OSError as exc:
            raise FeedbackError(f"cannot read the feedback file {self.path}: {exc.strerror or exc}") from None
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except (ValueError, RecursionError):
                problems.append(f"{self.path.name} line {number}: not a JSON record, skipped")
                continue
            if not isinstance(record, dict) or not isinstance(record.get("id"), str) or not self.is_record(record):
                problems.append(f"{self.path.name} line {number}: not a {self.what} record ({self.needs}), skipped")
                continue
            records.append((number, record))
        return records, problems


class RequestLog(FeedbackLog):
    """The requests people took from the chips (`feedback/request.py`), in a file of their own:
    the same appends, one per reply."""

    what, needs = "request", "no id, question or request kind"
    already = "a request was already kept for this reply"

    def is_record(self, record: dict[str, Any]) -> bool:
        return record_label(record) is not None
