"""The stance network: a transformer encoder read once per window, pooled per actor span.

A model folder (written by :func:`save_model`, read by :func:`load_model`)::

    stance_config.json        labels, template name, lengths, base model, version
    encoder/                  the HF encoder (config.json with id2label, model.safetensors)
    head.safetensors          the classification head
    tokenizer files

Only safetensors are read: a model folder is untrusted input and is never unpickled.
"""

from __future__ import annotations

import copy
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file
from torch import nn

from .. import errors
from ..types import LABELS
from .encoder import BertEncoder, WindowTokenizer, is_native
from .templates import DEFAULT_TEMPLATE, Window, template_info

CONFIG_NAME = "stance_config.json"
HEAD_NAME = "head.safetensors"
STANCE_TASK = 0  # training rows of the auxiliary task (stance.sentiment) carry another id


@dataclass
class ModelSettings:
    """What a saved model needs to know about itself to be used exactly as it was trained."""

    labels: list[str] = field(default_factory=lambda: list(LABELS))
    template: str = DEFAULT_TEMPLATE
    max_length: int = 256
    window_tokens: int = 160
    sentences_per_actor: int = 0  # 0: every sentence; see contexts.select_sentences
    temperature: float = 1.0  # actor-level scores are calibrated with it (stance.calibration)
    base_model: str = ""
    name: str = "stance-model"
    version: str = "0.0.0"

    @classmethod
    def read(cls, folder: Path) -> ModelSettings:
        data = json.loads((folder / CONFIG_NAME).read_text(encoding="utf-8"))
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


class StanceNetwork(nn.Module):
    """Encoder + head over [CLS; mean of the actor's tokens; mean of the target's tokens]."""

    def __init__(
        self,
        encoder: nn.Module,
        num_labels: int,
        class_weights: list[float] | None = None,
        sentiment_labels: int = 0,
        sentiment_weight: float = 0.0,
    ):
        super().__init__()
        self.encoder = encoder
        hidden = encoder.config.hidden_size
        self.head = nn.Sequential(
            nn.Dropout(0.1), nn.Linear(3 * hidden, hidden), nn.GELU(), nn.Dropout(0.1), nn.Linear(hidden, num_labels)
        )
        # training only (see stance.sentiment): [CLS; target] -> sentiment; never saved
        self.sentiment_head = (
            nn.Sequential(nn.Dropout(0.1), nn.Linear(2 * hidden, sentiment_labels)) if sentiment_labels else None
        )
        self.sentiment_weight = sentiment_weight
        weights = torch.tensor(class_weights, dtype=torch.float) if class_weights else None
        self.register_buffer("class_weights", weights, persistent=False)

    def forward(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor,
        actor_mask: torch.Tensor,
        target_mask: torch.Tensor,
        window_index: torch.Tensor | None = None,
        labels: torch.Tensor | None = None,
        task: torch.Tensor | None = None,
    ) -> dict[str, torch.Tensor]:
        """``actor_mask``/``target_mask``: one row per (window, actor) pair; ``window_index`` says
        which window each row pools from (default: row i ↔ window i). ``task`` (training only) marks
        rows of the auxiliary sentiment task (1), whose ``labels`` are sentiments."""
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        if window_index is None:
            window_index = torch.arange(actor_mask.shape[0], device=hidden.device)
        rows = hidden[window_index]
        target = masked_mean(rows, target_mask)
        logits = self.head(torch.cat([rows[:, 0], masked_mean(rows, actor_mask), target], dim=-1))
        output = {"logits": logits}
        if labels is None:
            return output
        stance = task == STANCE_TASK if task is not None else torch.ones_like(labels, dtype=torch.bool)
        loss = logits.new_zeros(())
        if stance.any():
            loss = loss + nn.functional.cross_entropy(logits[stance], labels[stance], weight=self.class_weights)
        if self.sentiment_head is not None and not stance.all():
            sentiment = self.sentiment_head(torch.cat([rows[~stance, 0], target[~stance]], dim=-1))
            loss = loss + self.sentiment_weight * nn.functional.cross_entropy(sentiment, labels[~stance])
        output["loss"] = loss
        return output


def masked_mean(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mean of the masked token vectors; the [CLS] vector where the mask is empty."""
    mask = mask.to(hidden.dtype)
    empty = mask.sum(-1) == 0
    mask = mask.clone()
    mask[empty, 0] = 1.0
    return (hidden * mask.unsqueeze(-1)).sum(1) / mask.sum(-1, keepdim=True)


def encode_windows(tokenizer: WindowTokenizer, windows: list[Window], max_length: int) -> dict[str, torch.Tensor]:
    """Tokenise windows and build one (actor_mask, target_mask) row per actor of each window."""
    encoded = tokenizer([w.text for w in windows], max_length)
    offsets = encoded.pop("offset_mapping")
    actor_rows, target_rows, window_index = [], [], []
    for i, window in enumerate(windows):
        target_row = spans_to_mask(offsets[i], window.target_spans)
        for spans in window.actor_spans:
            actor_rows.append(spans_to_mask(offsets[i], spans))
            target_rows.append(target_row)
            window_index.append(i)
    return {
        "input_ids": encoded["input_ids"],
        "attention_mask": encoded["attention_mask"],
        "actor_mask": torch.stack(actor_rows) if actor_rows else torch.zeros(0, offsets.shape[1]),
        "target_mask": torch.stack(target_rows) if target_rows else torch.zeros(0, offsets.shape[1]),
        "window_index": torch.tensor(window_index, dtype=torch.long),
    }


def window_row(window: Window, labels: list[int], task: int = STANCE_TASK) -> dict:
    """A training row: one window, with one actor-span list and one label per actor in it."""
    return {"text": window.text, "actor_spans": window.actor_spans, "target_spans": window.target_spans,
            "labels": labels, "length": len(window.text), "task": task}


def spans_to_mask(offsets: torch.Tensor, spans: list[tuple[int, int]]) -> torch.Tensor:
    """Tokens whose character offsets overlap any span (special tokens have offsets (0, 0))."""
    starts, ends = offsets[:, 0], offsets[:, 1]
    mask = torch.zeros(len(offsets), dtype=torch.bool)
    real = ends > starts
    for start, end in spans:
        mask |= real & (starts < end) & (ends > start)
    return mask


def new_tokenizer(base: str | Path, template: str = DEFAULT_TEMPLATE):
    """The base encoder's HF tokenizer with the template's markers added (for training)."""
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(base))
    tokenizer.add_special_tokens({"additional_special_tokens": list(template_info(template).special_tokens)})
    return tokenizer


def new_network(
    base: str | Path, tokenizer, labels: list[str], class_weights=None, layers: int = 0,
    sentiment_labels: int = 0, sentiment_weight: float = 0.0,
):
    """A fresh network on a local HF encoder; ``layers`` > 0 keeps only its first N layers (each
    layer is a sixth of MiniLM-L6's cost per token); ``sentiment_labels`` > 0 adds the auxiliary
    sentiment head."""
    from transformers import AutoModel

    # float32 whatever the folder says: a shipped encoder is stored in float16 (see save_model)
    encoder = AutoModel.from_pretrained(str(base), use_safetensors=True, dtype=torch.float32)
    if 0 < layers < encoder.config.num_hidden_layers:
        encoder.encoder.layer = encoder.encoder.layer[:layers]
        encoder.config.num_hidden_layers = layers
    encoder.resize_token_embeddings(len(tokenizer))
    encoder.config.id2label = dict(enumerate(labels))
    encoder.config.label2id = {label: i for i, label in enumerate(labels)}
    return StanceNetwork(encoder, len(labels), class_weights, sentiment_labels, sentiment_weight)


def save_model(network: StanceNetwork, tokenizer, settings: ModelSettings, folder: str | Path) -> Path:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    # half precision on disk keeps the shipped model under 50 MB; it is read back as float32
    if isinstance(network.encoder, BertEncoder):
        network.encoder.save(folder / "encoder")
    else:
        copy.deepcopy(network.encoder).to(torch.float16).save_pretrained(folder / "encoder")
    head = {k: v.detach().contiguous().cpu() for k, v in network.head.state_dict().items()}
    save_file(head, str(folder / HEAD_NAME))
    if not isinstance(tokenizer, WindowTokenizer):
        tokenizer.save_pretrained(folder)  # the HF files (tokenizer_config.json) for transformers users
        # tokenizer.json would keep the base model's fixed padding and truncation (128 for MiniLM)
        tokenizer = WindowTokenizer.from_folder(folder)
    tokenizer.save(folder)
    (folder / CONFIG_NAME).write_text(json.dumps(asdict(settings), indent=2) + "\n", encoding="utf-8")
    return folder


def write_temperature(folder: str | Path, temperature: float) -> None:
    """Store a fitted temperature in a model folder's ``stance_config.json`` (see stance.calibration)."""
    path = Path(folder) / CONFIG_NAME
    if not path.is_file():
        raise errors.missing_model(folder)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["temperature"] = round(float(temperature), 4)
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def load_model(folder: str | Path) -> tuple[StanceNetwork, WindowTokenizer, ModelSettings]:
    folder = Path(folder)
    if not (folder / CONFIG_NAME).is_file():
        raise errors.missing_model(folder)
    encoder_dir = folder / "encoder"
    if not (encoder_dir / "model.safetensors").is_file() or not (folder / HEAD_NAME).is_file():
        if any(encoder_dir.glob("*.bin")) or any(folder.glob("*.bin")):
            raise errors.unsafe_weights(folder)
        raise errors.missing_model(folder)
    settings = ModelSettings.read(folder)
    config = json.loads((encoder_dir / "config.json").read_text(encoding="utf-8"))
    encoder = BertEncoder.from_folder(encoder_dir) if is_native(config) else _transformers_encoder(encoder_dir)
    network = StanceNetwork(encoder, len(settings.labels))
    network.head.load_state_dict(load_file(str(folder / HEAD_NAME)))
    network.eval()
    if (folder / "tokenizer.json").is_file():
        tokenizer = WindowTokenizer.from_folder(folder)
    else:
        from transformers import AutoTokenizer

        tokenizer = WindowTokenizer.from_hf(AutoTokenizer.from_pretrained(str(folder)))
    return network, tokenizer, settings


def _transformers_encoder(folder: Path):
    """Encoders other than plain BERT (RoBERTa, DistilBERT, ...) run on transformers itself."""
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    return AutoModel.from_pretrained(str(folder), use_safetensors=True, dtype=torch.float32)
