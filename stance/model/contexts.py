"""Context windows: consecutive sentences packed up to a budget, each read once per target (and
once per actor in it, with a template that marks the actor).

Shared by inference (sentences and mentions from a spaCy Doc) and training (a stance record's
sentences found by the same spaCy segmentation, :class:`stance.training.examples.Sentences`), so both
build model input the same way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..text.sentences import CHARS_PER_TOKEN
from .templates import CharSpan, TemplateInfo, Window, template_info


@dataclass
class Context:
    """One window of a document: which actors it holds and the sentences that mention them."""

    start: int
    end: int
    actors: list[str]
    window: Window
    evidence: list[list[CharSpan]]  # per actor: document offsets of sentences mentioning it


def build_contexts(
    text: str,
    sentences: Sequence[CharSpan],
    actor_mentions: dict[str, Sequence[CharSpan]],
    target: str,
    target_mentions: Sequence[CharSpan],
    template: str,
    window_tokens: int,
    sentences_per_actor: int = 0,
) -> list[Context]:
    """Model windows for ``target``: the sentences worth reading, packed up to ``window_tokens``.

    ``sentences_per_actor`` = 0 reads every chunk of consecutive sentences that mentions an actor.
    A positive budget reads only each actor's most telling sentences (see :func:`select_sentences`)
    in texts longer than one window, which cuts the encoder's work on long, actor-dense articles;
    a text that fits in one window is read whole. With a template that marks one actor per window,
    each actor's windows are built from its own sentences only.
    """
    info = template_info(template)
    fits = not sentences or sentences[-1][1] - sentences[0][0] <= window_tokens * CHARS_PER_TOKEN
    per_actor = 0 if fits else sentences_per_actor
    if not info.one_actor_per_window:
        return _windows(text, sentences, actor_mentions, target, target_mentions, info, window_tokens, per_actor)
    return [
        context
        for name, mentions in actor_mentions.items()
        for context in _windows(text, sentences, {name: mentions}, target, target_mentions, info, window_tokens, per_actor)
    ]


def _windows(
    text: str,
    sentences: Sequence[CharSpan],
    actor_mentions: dict[str, Sequence[CharSpan]],
    target: str,
    target_mentions: Sequence[CharSpan],
    info: TemplateInfo,
    window_tokens: int,
    per_actor: int,
) -> list[Context]:
    chosen = select_sentences(text, sentences, actor_mentions, target_mentions, per_actor)
    contexts = []
    for chunk in pack_sentences_by_index(sentences, chosen, window_tokens):
        context_text, to_window = _assemble(text, sentences, chunk)
        names, spans, evidence = [], [], []
        for name, mentions in actor_mentions.items():
            inside = [(span, moved) for span in mentions if (moved := to_window(*span))]
            if inside:
                names.append(name)
                spans.append([moved for _, moved in inside])
                evidence.append(_sentences_of([span for span, _ in inside], sentences))
        if not names:
            continue
        targets = [moved for span in target_mentions if (moved := to_window(*span))]
        window = info.make(context_text, target, targets, spans)
        contexts.append(Context(sentences[chunk[0]][0], sentences[chunk[-1]][1], names, window, evidence))
    return contexts


_SPEECH = re.compile(r"[\"“”]|\b(?:said|says|told|added|argued|warned|called|accused|praised|according to)\b")
_CONTINUES = re.compile(r"^\W*(?:he|she|they|it|its|his|her|their)\b|\b(?:he|she|they) (?:said|says|added)\b", re.IGNORECASE)


def select_sentences(
    text: str,
    sentences: Sequence[CharSpan],
    actor_mentions: dict[str, Sequence[CharSpan]],
    target_mentions: Sequence[CharSpan],
    per_actor: int,
) -> list[int]:
    """Indices of the sentences to read. With ``per_actor`` > 0, for each actor: the sentences that
    name it, best first — naming the target too, then quoting or reporting speech, then earliest —
    cut to ``per_actor``, each with the next sentence when that one goes on about the actor by
    pronoun ("It said ...") so that pronoun-only statements are still read."""
    if per_actor <= 0:
        return list(range(len(sentences)))

    def containing(spans: Sequence[CharSpan]) -> set[int]:
        return {i for i, (s, e) in enumerate(sentences) for ms, _ in spans if s <= ms < e}

    with_target = containing(target_mentions)
    chosen: set[int] = set()
    for mentions in actor_mentions.values():
        own = sorted(containing(mentions))
        ranked = sorted(own, key=lambda i: (i not in with_target, not _SPEECH.search(text[slice(*sentences[i])]), i))
        for i in ranked[:per_actor]:
            chosen.add(i)
            if i + 1 < len(sentences) and _CONTINUES.search(text[slice(*sentences[i + 1])]):
                chosen.add(i + 1)
    return sorted(chosen)


def pack_sentences_by_index(sentences: Sequence[CharSpan], chosen: Sequence[int], window_tokens: int) -> list[list[int]]:
    """Group the chosen sentences, in document order, into chunks of at most ``window_tokens``."""
    budget = window_tokens * CHARS_PER_TOKEN
    chunks: list[list[int]] = []
    size = 0
    for i in chosen:
        start, end = sentences[i]
        # consecutive sentences keep the text between them, so the budget counts it too
        gap = (start - sentences[i - 1][1] if chunks[-1][-1] == i - 1 else 1) if chunks else 0
        if chunks and size + gap + end - start <= budget:
            chunks[-1].append(i)
            size += gap + end - start
        else:
            chunks.append([i])
            size = end - start
    return chunks


def _assemble(text: str, sentences: Sequence[CharSpan], chunk: Sequence[int]):
    """The chunk's text (consecutive sentences joined by the text between them, others by a space)
    and a function mapping a document span to that text (None if the span is not in the chunk)."""
    parts, starts, cursor = [], [], 0
    for n, i in enumerate(chunk):
        start, end = sentences[i]
        if n:
            gap = text[sentences[chunk[n - 1]][1] : start] if chunk[n - 1] == i - 1 else " "
            parts.append(gap)
            cursor += len(gap)
        starts.append(cursor)
        parts.append(text[start:end])
        cursor += end - start

    first, last = sentences[chunk[0]][0], sentences[chunk[-1]][1]

    def to_window(s: int, e: int) -> CharSpan | None:
        if s < first or e > last:  # most mentions: outside the chunk altogether
            return None
        for i, at in zip(chunk, starts, strict=True):
            start, end = sentences[i]
            if start <= s and e <= end:
                return (s - start + at, e - start + at)
        return None

    return "".join(parts), to_window


def _sentences_of(mentions: Sequence[CharSpan], sentences: Sequence[CharSpan]) -> list[CharSpan]:
    found = [(s, e) for s, e in sentences if any(s <= ms < e for ms, _ in mentions)]
    return list(dict.fromkeys(found))

