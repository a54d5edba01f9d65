"""Registered input templates: how a context window, its target and its actors become model input.

Training and inference both call :func:`get_template` with the name stored in the model folder, so
the two cannot drift apart. A template turns plain text plus character spans into a ``Window``
whose text the tokenizer reads. The default template does not mark actors in the text: they are
pooled from their token spans, so ONE encoder pass serves every actor in the window.
``stance.actor_marker.v1`` marks the actor as well, at the price of one pass per actor.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..text.sentences import CharSpan

TARGET_OPEN, TARGET_CLOSE = "[TGT]", "[/TGT]"
ACTOR_OPEN, ACTOR_CLOSE = "[ACT]", "[/ACT]"
DEFAULT_TEMPLATE = "stance.target_marker.v1"
ACTOR_MARKER_TEMPLATE = "stance.actor_marker.v1"



@dataclass
class Window:
    """Model input for one context and one target: text, and where each actor and the target are."""

    text: str
    actor_spans: list[list[CharSpan]]
    target_spans: list[CharSpan]


Template = Callable[[str, str, Sequence[CharSpan], Sequence[Sequence[CharSpan]]], Window]


@dataclass(frozen=True)
class TemplateInfo:
    """A registered template: the function, the marker tokens it adds to the vocabulary, and
    whether it marks one actor per window (one encoder pass per actor instead of one shared)."""

    make: Template
    special_tokens: tuple[str, ...]
    one_actor_per_window: bool


_TEMPLATES: dict[str, TemplateInfo] = {}


def register_template(
    name: str, special_tokens: Sequence[str] = (TARGET_OPEN, TARGET_CLOSE), one_actor_per_window: bool = False
) -> Callable[[Template], Template]:
    def register(func: Template) -> Template:
        _TEMPLATES[name] = TemplateInfo(func, tuple(special_tokens), one_actor_per_window)
        return func

    return register


def template_info(name: str) -> TemplateInfo:
    if name not in _TEMPLATES:
        raise ValueError(f"Unknown input template {name!r}; registered templates: {sorted(_TEMPLATES)}.")
    return _TEMPLATES[name]


def get_template(name: str) -> Template:
    return template_info(name).make


@register_template(DEFAULT_TEMPLATE)
def target_marker_v1(
    context: str,
    target: str,
    target_spans: Sequence[CharSpan],
    actor_spans: Sequence[Sequence[CharSpan]],
) -> Window:
    """``[TGT] Target [/TGT] | context`` with every target mention in the context wrapped in markers.

    The prefix names the target even when the window only mentions it by pronoun or not at all.

    Example:
        >>> w = target_marker_v1("Gucci sued Alibaba.", "Alibaba", [(11, 18)], [[(0, 5)]])
        >>> w.text
        '[TGT] Alibaba [/TGT] | Gucci sued [TGT] Alibaba [/TGT].'
        >>> [w.text[s:e] for s, e in w.actor_spans[0]]
        ['Gucci']
    """
    return _marked(context, target, target_spans, actor_spans, marked_actor=())


@register_template(ACTOR_MARKER_TEMPLATE, (TARGET_OPEN, TARGET_CLOSE, ACTOR_OPEN, ACTOR_CLOSE), one_actor_per_window=True)
def actor_marker_v1(
    context: str,
    target: str,
    target_spans: Sequence[CharSpan],
    actor_spans: Sequence[Sequence[CharSpan]],
) -> Window:
    """As ``stance.target_marker.v1``, and the window's one actor wrapped in ``[ACT] … [/ACT]``,
    so that every layer of the encoder knows whose stance is asked (a pass per actor).

    Example:
        >>> w = actor_marker_v1("Gucci sued Alibaba.", "Alibaba", [(11, 18)], [[(0, 5)]])
        >>> w.text
        '[TGT] Alibaba [/TGT] | [ACT] Gucci [/ACT] sued [TGT] Alibaba [/TGT].'
        >>> [w.text[s:e] for s, e in w.actor_spans[0]]
        ['Gucci']
    """
    if len(actor_spans) > 1:
        raise ValueError(f"{ACTOR_MARKER_TEMPLATE} marks one actor per window; got {len(actor_spans)}.")
    return _marked(context, target, target_spans, actor_spans, marked_actor=actor_spans[0] if actor_spans else ())


def _marked(
    context: str,
    target: str,
    target_spans: Sequence[CharSpan],
    actor_spans: Sequence[Sequence[CharSpan]],
    marked_actor: Sequence[CharSpan],
) -> Window:
    """``[TGT] Target [/TGT] | context`` with the target's mentions (and ``marked_actor``'s, if any)
    wrapped in markers; every span moved to where its text now is."""
    prefix = f"{TARGET_OPEN} {target} {TARGET_CLOSE} | "
    wraps = [(span, TARGET_OPEN, TARGET_CLOSE) for span in target_spans]
    # an empty span (an actor named only by pronoun in training) has nothing to wrap
    wraps += [(span, ACTOR_OPEN, ACTOR_CLOSE) for span in marked_actor if span[1] > span[0]]
    inserts = sorted(
        [(start, f"{opening} ") for (start, _), opening, _ in wraps]
        + [(end, f" {closing}") for (_, end), _, closing in wraps]
    )
    pieces, shifts, cursor = [prefix], [], 0
    for position, marker in inserts:
        pieces.append(context[cursor:position])
        pieces.append(marker)
        shifts.append((position, len(marker)))
        cursor = position
    pieces.append(context[cursor:])

    def moved(offset: int, is_end: bool) -> int:
        # a span ending where a marker starts must not swallow the marker
        extra = sum(size for at, size in shifts if at < offset or (at == offset and not is_end))
        return len(prefix) + offset + extra

    target_in_window = [(len(TARGET_OPEN) + 1, len(TARGET_OPEN) + 1 + len(target))]
    target_in_window += [(moved(s, False), moved(e, True)) for s, e in target_spans]
    return Window(
        text="".join(pieces),
        actor_spans=[[(moved(s, False), moved(e, True)) for s, e in spans] for spans in actor_spans],
        target_spans=target_in_window,
    )
