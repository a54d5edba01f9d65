"""Fine-tune the stance network on stance-record JSONL with the Hugging Face Trainer."""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import load_file
from sklearn.metrics import f1_score

from .. import __version__
from ..articles import article_packs, read_articles
from ..corpus import read_records
from ..model.network import (
    HEAD_NAME,
    STANCE_TASK,
    ModelSettings,
    new_network,
    new_tokenizer,
    save_model,
)
from ..types import LABELS
from .config import TrainConfig
from .examples import WindowCollator, build_dataset
from .sentiment import SENTIMENTS, sentiment_rows


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
    # trainer_args (TrainConfig) sets any other TrainingArguments field, or overrides these
    args = TrainingArguments(**dict(
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
        use_cpu=not torch.cuda.is_available(),
        dataloader_num_workers=0,
    ) | cfg.trainer_args)
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
    return cfg.to_dict() | {"base_model": Path(cfg.base_model).name}
