"""Inference without transformers: a BERT encoder on torch's own transformer layers, and the
tokenizer read straight from ``tokenizer.json``.

Why: importing transformers' modelling code costs several seconds at start-up, longer than the
rest of the pipeline takes to load, and ``torch.nn.TransformerEncoder`` has a fused inference path
that skips padding. Training still uses transformers (``stance.train``); both read and write the
same safetensors files, and ``tests/test_encoder.py`` checks that they compute the same outputs.
Only plain BERT (absolute positions, GELU) is read this way; other encoders go through
transformers (``stance.model.load_model`` decides).
"""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import torch
from safetensors.torch import load_file
from torch import nn

# torch's fused path packs padded batches as nested tensors, still marked "prototype"
warnings.filterwarnings("ignore", message="The PyTorch API of nested tensors", category=UserWarning)


@dataclass
class EncoderOutput:
    last_hidden_state: torch.Tensor


def is_native(config: dict) -> bool:
    """Whether :class:`BertEncoder` reproduces this HF encoder config exactly."""
    return (
        config.get("model_type") == "bert"
        and config.get("hidden_act") == "gelu"
        and config.get("position_embedding_type", "absolute") == "absolute"
    )


class BertEncoder(nn.Module):
    """BERT's embeddings and post-norm layers, for inference (no dropout, no pooler)."""

    def __init__(self, config: dict):
        super().__init__()
        self.config = SimpleNamespace(**config)
        hidden, eps = config["hidden_size"], config["layer_norm_eps"]
        self.word_embeddings = nn.Embedding(config["vocab_size"], hidden)
        self.position_embeddings = nn.Embedding(config["max_position_embeddings"], hidden)
        self.token_type_embeddings = nn.Embedding(config["type_vocab_size"], hidden)
        self.embedding_norm = nn.LayerNorm(hidden, eps=eps)
        layer = nn.TransformerEncoderLayer(
            hidden, config["num_attention_heads"], config["intermediate_size"], dropout=0.0,
            activation="gelu", layer_norm_eps=eps, batch_first=True, norm_first=False,
        )
        self.layers = nn.TransformerEncoder(layer, config["num_hidden_layers"], enable_nested_tensor=True)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> EncoderOutput:
        positions = torch.arange(input_ids.shape[1], device=input_ids.device)
        x = self.word_embeddings(input_ids) + self.position_embeddings(positions) + self.token_type_embeddings.weight[0]
        x = self.embedding_norm(x)
        # padded positions come back as zeros; callers only read real tokens
        return EncoderOutput(self.layers(x, src_key_padding_mask=attention_mask == 0))

    @classmethod
    def from_folder(cls, folder: str | Path) -> BertEncoder:
        """Read an HF BERT folder (``config.json`` + ``model.safetensors``) as float32."""
        folder = Path(folder)
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        encoder = cls(config)
        weights = load_file(str(folder / "model.safetensors"))
        encoder.load_state_dict(_from_hf(weights, config["num_hidden_layers"]))
        return encoder.float().eval()

    def save(self, folder: str | Path, dtype: torch.dtype = torch.float16) -> None:
        """Write an HF BERT folder (``config.json`` + ``model.safetensors``)."""
        from safetensors.torch import save_file

        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        config = {**vars(self.config), "dtype": str(dtype).removeprefix("torch.")}
        (folder / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
        state = {k: v.detach().to(dtype).contiguous() for k, v in self.state_dict().items()}
        save_file(_to_hf(state, self.config.num_hidden_layers), str(folder / "model.safetensors"), metadata={"format": "pt"})


# parameter names: ours → HF BERT's; q, k and v are joined into one projection (in_proj) here
_EMBEDDINGS = {
    "word_embeddings": "embeddings.word_embeddings",
    "position_embeddings": "embeddings.position_embeddings",
    "token_type_embeddings": "embeddings.token_type_embeddings",
    "embedding_norm": "embeddings.LayerNorm",
}
_LAYER = {
    "self_attn.out_proj": "attention.output.dense",
    "norm1": "attention.output.LayerNorm",
    "linear1": "intermediate.dense",
    "linear2": "output.dense",
    "norm2": "output.LayerNorm",
}
_QKV = ("query", "key", "value")


def _renames(layers: int) -> dict[str, str]:
    """Every parameter but the q/k/v projections: our full name → HF's full name."""
    names = {f"{ours}.weight": f"{hf}.weight" for ours, hf in _EMBEDDINGS.items()}
    names["embedding_norm.bias"] = "embeddings.LayerNorm.bias"
    for i in range(layers):
        for ours, hf in _LAYER.items():
            for kind in ("weight", "bias"):
                names[f"layers.layers.{i}.{ours}.{kind}"] = f"encoder.layer.{i}.{hf}.{kind}"
    return names


def _from_hf(weights: dict[str, torch.Tensor], layers: int) -> dict[str, torch.Tensor]:
    """HF BERT weights under this module's names."""
    w = {k.removeprefix("bert."): v for k, v in weights.items()}
    state = {ours: w[hf] for ours, hf in _renames(layers).items()}
    for i in range(layers):
        for kind in ("weight", "bias"):
            parts = [w[f"encoder.layer.{i}.attention.self.{part}.{kind}"] for part in _QKV]
            state[f"layers.layers.{i}.self_attn.in_proj_{kind}"] = torch.cat(parts)
    return state


def _to_hf(state: dict[str, torch.Tensor], layers: int) -> dict[str, torch.Tensor]:
    """The inverse of :func:`_from_hf`, so a model saved from here loads in transformers too."""
    weights = {hf: state[ours] for ours, hf in _renames(layers).items()}
    for i in range(layers):
        for kind in ("weight", "bias"):
            parts = state[f"layers.layers.{i}.self_attn.in_proj_{kind}"].chunk(3)
            for part, tensor in zip(_QKV, parts, strict=True):
                weights[f"encoder.layer.{i}.attention.self.{part}.{kind}"] = tensor
    return weights


class WindowTokenizer:
    """A fast (Rust) tokenizer set up to truncate and pad batches, with character offsets."""

    def __init__(self, backend, pad_token: str, config: dict | None = None):
        from tokenizers import Tokenizer

        self.backend = Tokenizer.from_str(backend.to_str())  # a private copy: its settings change below
        self.pad_id = self.backend.token_to_id(pad_token)
        self.pad_token = pad_token
        self.config = config or {"pad_token": pad_token}

    @classmethod
    def from_folder(cls, folder: str | Path) -> WindowTokenizer:
        from tokenizers import Tokenizer

        folder = Path(folder)
        settings_file = folder / "tokenizer_config.json"
        settings = json.loads(settings_file.read_text(encoding="utf-8")) if settings_file.is_file() else {}
        return cls(Tokenizer.from_file(str(folder / "tokenizer.json")), settings.get("pad_token") or "[PAD]", settings)

    @classmethod
    def from_hf(cls, tokenizer) -> WindowTokenizer:
        return cls(tokenizer.backend_tokenizer, tokenizer.pad_token)

    def save(self, folder: str | Path) -> None:
        from tokenizers import Tokenizer

        plain = Tokenizer.from_str(self.backend.to_str())
        plain.no_truncation()
        plain.no_padding()
        plain.save(str(Path(folder) / "tokenizer.json"))
        (Path(folder) / "tokenizer_config.json").write_text(json.dumps(self.config, indent=2) + "\n", encoding="utf-8")

    def __call__(self, texts: list[str], max_length: int) -> dict[str, torch.Tensor]:
        self.backend.enable_truncation(max_length)
        self.backend.enable_padding(pad_id=self.pad_id, pad_token=self.pad_token)
        encodings = self.backend.encode_batch(texts)
        return {
            "input_ids": torch.tensor([e.ids for e in encodings], dtype=torch.long),
            "attention_mask": torch.tensor([e.attention_mask for e in encodings], dtype=torch.long),
            "offset_mapping": torch.tensor([e.offsets for e in encodings], dtype=torch.long),
        }

