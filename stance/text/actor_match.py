"""Finding the pipeline actor that a name given by a user or a gold record refers to.

Names arrive in other forms than the article's: lower case ("rick tyler"), with a middle initial
("Gregory B. Craig" for "Gregory Craig"), curly or straight apostrophes, an institution's formal
name ("Supreme Court of the United States", "Federal Bureau of Investigation") for the one the
article uses ("Supreme Court", "FBI"), or the full name of a person the article calls by last name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..types import Actor
from .name_rules import initials

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'"})
_NATION = re.compile(r"\b(?:united states of america|united states|u\.s\.a\.?|u\.s\.?|usa|us)(?!\w)")
_OF_NATION = re.compile(r"\s+of (?:the )?us$")  # "supreme court of the us" is the supreme court
_LEADING = re.compile(r"^(?:the|us)\s+")
_MIDDLE_INITIAL = re.compile(r"(?<=\s)[a-z]\.(?=\s)")


def name_key(name: str) -> str:
    """A comparison key: case, apostrophes, middle initials and a US national prefix or suffix
    ("US Senate", "United States Senate") do not tell two names apart.

    Example:
        >>> name_key("Supreme Court of the United States") == name_key("U.S. Supreme Court")
        True
        >>> name_key("Gregory B. Craig")
        'gregory craig'
    """
    key = " ".join(name.translate(_APOSTROPHES).casefold().split())
    key = _NATION.sub("us", key)
    key = _OF_NATION.sub("", key)
    key = _LEADING.sub("", key)
    return " ".join(_MIDDLE_INITIAL.sub("", key).split())


def acronym(name: str) -> str | None:
    """The acronym of a name ("FBI" for "Federal Bureau of Investigation"); None under three letters,
    which would match too much by chance."""
    short = initials(name)
    return short if len(short) >= 3 else None


def match_actor(actors: Sequence[Actor], name: str, aliases: Sequence[str] = ()) -> Actor | None:
    """The actor that ``name`` (or one of ``aliases``) refers to, or None if none or several could.

    Tried in turn: the exact name or a mention; the same name up to :func:`name_key`; the name's
    acronym; and, for a name of several words, its last word — where an actor with another given
    name ("Eric Trump" when asked for "Donald Trump") is not a candidate.
    """
    forms = {name, *aliases}
    for actor in actors:
        if actor.name in forms or forms & set(actor.mentions):
            return actor
    keys = {name_key(form) for form in forms}
    for actor in actors:
        if keys & {name_key(surface) for surface in (actor.name, *actor.mentions)}:
            return actor
    short = acronym(name)
    by_acronym = [a for a in actors if short and (a.name == short or short in a.mentions)]
    if len(by_acronym) == 1:
        return by_acronym[0]
    words = name_key(name).split()
    last, given = words[-1], words[-2] if len(words) > 1 else None

    def same_person(actor: Actor) -> bool:
        surfaces = [name_key(s).split() for s in (actor.name, *actor.mentions)]
        if not any(s and s[-1] == last for s in surfaces):
            return False
        # the word before the last name is the given name, also after a title ("Speaker Nancy Pelosi")
        return not any(given and len(s) > 1 and s[-1] == last and s[-2] != given for s in surfaces)

    candidates = [a for a in actors if same_person(a)]
    return candidates[0] if len(candidates) == 1 else None
