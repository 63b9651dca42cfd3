"""Control and bidirectional-override characters in text that is shown.

An article, a file name or a language model's reply may hold NUL, ESC, BEL or U+202E: printed raw
they move the cursor, ring, recolour or reorder what the reader sees. Stored text is never changed:
what the CLI prints is escaped here, and a model's words (never stored) are stripped of them.
"""
from __future__ import annotations

import re

# C0 and C1 controls but tab and newline, and the bidi embedding, override and isolate marks
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    r"""`text` with each unsafe character written as its escape ("\x1b", "\u202e")."""
    return _UNSAFE.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


def strip_controls(text: str) -> str:
    """`text` without the unsafe characters (a line break and a tab stay)."""
    return _UNSAFE.sub("", text)


def one_line(text: str) -> str:
    """`text` for a one-line message: no unsafe characters, every run of white space one space."""
    return " ".join(strip_controls(text).split())
