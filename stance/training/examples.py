"""Training rows: the context windows of stance records and gold articles, built as at inference, and their collator."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence

import torch
from datasets import Dataset

from ..api import sentence_splitter
from ..model.contexts import build_contexts
from ..model.encoder import WindowTokenizer
from ..model.network import (
    ModelSettings,
    encode_windows,
    window_row,
)
from ..model.templates import Window
from ..text.sentences import CharSpan, find_mentions
from ..types import LABELS
from .names import swap_names
from .packing import actor_names, contrast_pairs, pack_records, target_names


class Sentences:
    """Sentence spans of training texts, found as the pipeline finds them (:func:`stance.api.sentence_splitter`)
    and kept per text; :meth:`read` segments many texts in one batched pass."""

    def __init__(self) -> None:
        self._nlp = None
        self._spans: dict[str, list[CharSpan]] = {}

    def read(self, texts: Iterable[str]) -> None:
        new = [text for text in dict.fromkeys(texts) if text not in self._spans]
        if not new:
            return
        self._nlp = self._nlp or sentence_splitter()
        for text, doc in zip(new, self._nlp.pipe(new, batch_size=256), strict=True):
            self._spans[text] = [(sent.start_char, sent.end_char) for sent in doc.sents]

    def __call__(self, text: str) -> list[CharSpan]:
        self.read([text])
        return self._spans[text]


# one segmenter per process: loading it costs about a second, reading a record a fraction of a millisecond
SENTENCES = Sentences()


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
        text, SENTENCES(text), mentions, targets[0], find_mentions(text, targets),
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
    SENTENCES.read([*(r["text"] for r in records), *(p["text"] for p in packs)])
    rows = [row for record in records for row in record_examples(record, settings)]
    if pack_share:
        record_packs = pack_records(records, pack_share, settings.window_tokens, rng)
        rows += [row for pack in record_packs for row in pack_examples(pack, settings)]
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
        windows = [
            Window(r["text"], [[tuple(s) for s in spans] for spans in r["actor_spans"]], [tuple(s) for s in r["target_spans"]])
            for r in rows
        ]
        batch = encode_windows(self.window_tokenizer, windows, self.max_length)
        # one label and one task id per (window, actor) row of the batch
        batch["labels"] = torch.tensor([label for r in rows for label in r["labels"]], dtype=torch.long)
        batch["task"] = torch.tensor([r["task"] for r in rows for _ in r["labels"]], dtype=torch.long)
        return batch
