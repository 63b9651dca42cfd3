"""(question, sentence) pairs for the fine-tuned models, with the question side capped.

The tokenizers truncate only the second segment (the sentence): a question longer than the whole
window made them raise. A question keeps at most half of the model's window, its last tokens (a
long message states its context first and asks last), so the sentence always has room. Every
question of the benchmark sets fits in half of either window, so their pairs are unchanged.
"""
from __future__ import annotations

from typing import Sequence


class PairEncoder:
    def __init__(self, tokenizer, max_tokens: int) -> None:
        from tokenizers import Tokenizer

        self.tokenizer = tokenizer                      # truncates the second segment, pads
        self.plain = Tokenizer.from_str(tokenizer.to_str())
        self.plain.no_truncation()
        self.plain.no_padding()
        self.question_tokens = max_tokens // 2

    def cap(self, question: str) -> str:
        """The question's last `question_tokens` tokens, cut from the text at a token's start."""
        if len(question) <= self.question_tokens // 2:     # far fewer characters than tokens allowed
            return question
        offsets = self.plain.encode(question, add_special_tokens=False).offsets
        if len(offsets) <= self.question_tokens:
            return question
        return question[offsets[-self.question_tokens][0]:]

    def encode(self, pairs: Sequence[tuple[str, str]]):
        return self.tokenizer.encode_batch([(self.cap(q), s) for q, s in pairs])
