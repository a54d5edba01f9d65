"""Sentences and name mentions in plain text, by character offsets."""

from __future__ import annotations

import re
from collections.abc import Sequence

CharSpan = tuple[int, int]
CHARS_PER_TOKEN = 4  # WordPiece on English news: about 4–5 characters per token
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)]*\s+(?=[\"“‘(]*[A-Z0-9])|\n+")


def split_sentences(text: str) -> list[CharSpan]:
    """A light regex sentence splitter for corpus tools (a record's passage); model input, in training and at
    inference, always uses the pipeline's spaCy sentences."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        if text[start : match.start()].strip():
            spans.append((start, match.start()))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def find_mentions(text: str, names: Sequence[str]) -> list[CharSpan]:
    """Whole-word, case-sensitive occurrences of any of ``names`` (longest first, no overlaps)."""
    taken: list[CharSpan] = []
    for name in sorted({n for n in names if n}, key=len, reverse=True):
        for match in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
            span = (match.start(), match.end())
            if not any(s < span[1] and span[0] < e for s, e in taken):
                taken.append(span)
    return sorted(taken)
