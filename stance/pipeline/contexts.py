"""Context windows: consecutive sentences packed up to a budget, each read once per target.

Shared by inference (sentences and mentions from a spaCy Doc) and training (from a stance record),
so both build model input the same way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .templates import CharSpan, Window, get_template

CHARS_PER_TOKEN = 4  # WordPiece on English news: about 4–5 characters per token
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)]*\s+(?=[\"“‘(]*[A-Z0-9])|\n+")


@dataclass
class Context:
    """One window of a document: which actors it holds and the sentences that mention them."""

    start: int
    end: int
    actors: list[str]
    window: Window
    evidence: list[list[CharSpan]]  # per actor: document offsets of sentences mentioning it


def split_sentences(text: str) -> list[CharSpan]:
    """A light sentence splitter for plain records (the pipeline uses spaCy's sentences)."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        if text[start : match.start()].strip():
            spans.append((start, match.start()))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def pack_sentences(sentences: Sequence[CharSpan], window_tokens: int) -> list[CharSpan]:
    """Group consecutive sentences into chunks of at most ``window_tokens`` (estimated)."""
    budget = window_tokens * CHARS_PER_TOKEN
    chunks: list[CharSpan] = []
    for start, end in sentences:
        if chunks and end - chunks[-1][0] <= budget:
            chunks[-1] = (chunks[-1][0], end)
        else:
            chunks.append((start, end))
    return chunks


def build_contexts(
    text: str,
    sentences: Sequence[CharSpan],
    actor_mentions: dict[str, Sequence[CharSpan]],
    target: str,
    target_mentions: Sequence[CharSpan],
    template: str,
    window_tokens: int,
) -> list[Context]:
    """Every chunk that mentions at least one actor, as a model window for ``target``."""
    make_window = get_template(template)
    contexts = []
    for start, end in pack_sentences(sentences, window_tokens):
        names, spans, evidence = [], [], []
        for name, mentions in actor_mentions.items():
            inside = [(s, e) for s, e in mentions if s >= start and e <= end]
            if inside:
                names.append(name)
                spans.append([(s - start, e - start) for s, e in inside])
                evidence.append(_sentences_of(inside, sentences))
        if not names:
            continue
        targets = [(s - start, e - start) for s, e in target_mentions if s >= start and e <= end]
        window = make_window(text[start:end], target, targets, spans)
        contexts.append(Context(start, end, names, window, evidence))
    return contexts


def _sentences_of(mentions: Sequence[CharSpan], sentences: Sequence[CharSpan]) -> list[CharSpan]:
    found = [(s, e) for s, e in sentences if any(s <= ms < e for ms, _ in mentions)]
    return list(dict.fromkeys(found))


def find_mentions(text: str, names: Sequence[str]) -> list[CharSpan]:
    """Whole-word, case-sensitive occurrences of any of ``names`` (longest first, no overlaps)."""
    taken: list[CharSpan] = []
    for name in sorted({n for n in names if n}, key=len, reverse=True):
        for match in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
            span = (match.start(), match.end())
            if not any(s < span[1] and span[0] < e for s, e in taken):
                taken.append(span)
    return sorted(taken)
