"""Registered input templates: how a context window, its target and its actors become model input.

Training and inference both call :func:`get_template` with the name stored in the model folder, so
the two cannot drift apart. A template turns plain text plus character spans into a ``Window``
whose text the tokenizer reads; actors are not marked in the text but pooled from their token
spans, so ONE encoder pass serves every actor in the window.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

TARGET_OPEN, TARGET_CLOSE = "[TGT]", "[/TGT]"
SPECIAL_TOKENS = [TARGET_OPEN, TARGET_CLOSE]
DEFAULT_TEMPLATE = "stance.target_marker.v1"

CharSpan = tuple[int, int]


@dataclass
class Window:
    """Model input for one context and one target: text, and where each actor and the target are."""

    text: str
    actor_spans: list[list[CharSpan]]
    target_spans: list[CharSpan]


Template = Callable[[str, str, Sequence[CharSpan], Sequence[Sequence[CharSpan]]], Window]
_TEMPLATES: dict[str, Template] = {}


def register_template(name: str) -> Callable[[Template], Template]:
    def register(func: Template) -> Template:
        _TEMPLATES[name] = func
        return func

    return register


def get_template(name: str) -> Template:
    if name not in _TEMPLATES:
        raise ValueError(f"Unknown input template {name!r}; registered templates: {sorted(_TEMPLATES)}.")
    return _TEMPLATES[name]


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
    prefix = f"{TARGET_OPEN} {target} {TARGET_CLOSE} | "
    inserts = sorted(
        [(start, f"{TARGET_OPEN} ") for start, _ in target_spans]
        + [(end, f" {TARGET_CLOSE}") for _, end in target_spans]
    )
    pieces, shifts, cursor = [prefix], [], 0
    for position, marker in inserts:
        pieces.append(context[cursor:position])
        pieces.append(marker)
        shifts.append((position, len(marker)))
        cursor = position
    pieces.append(context[cursor:])

    def moved(offset: int, is_end: bool) -> int:
        # an actor span ending where a marker starts must not swallow the marker
        extra = sum(size for at, size in shifts if at < offset or (at == offset and not is_end))
        return len(prefix) + offset + extra

    target_in_window = [(len(TARGET_OPEN) + 1, len(TARGET_OPEN) + 1 + len(target))]
    target_in_window += [(moved(s, False), moved(e, True)) for s, e in target_spans]
    return Window(
        text="".join(pieces),
        actor_spans=[[(moved(s, False), moved(e, True)) for s, e in spans] for spans in actor_spans],
        target_spans=target_in_window,
    )
