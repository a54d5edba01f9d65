"""Text clean-up before spaCy: line ends, invisible characters, spaces, a repeated title."""

from __future__ import annotations

import re
import unicodedata

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_RUNS = re.compile(r"\n{3,}")


def normalize_text(text: str) -> str:
    """Normalise line ends and whitespace, and drop a title line repeated right below itself.

    Example:
        >>> normalize_text("Title\\n\\nTitle\\n\\n\\n\\nBody  text ")
        'Title\\n\\nBody text'
    """
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    text = _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()
    paragraphs = text.split("\n\n")
    if len(paragraphs) > 1 and paragraphs[0] == paragraphs[1]:
        paragraphs.pop(1)
    return "\n\n".join(paragraphs)
