"""Result types: what the pipeline reports about actors and their stances."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

LABELS = ("support", "oppose", "neutral")


@dataclass
class Evidence:
    """A sentence that supports a stance, with character offsets into the document text."""

    sentence: str
    start: int
    end: int


@dataclass
class ActorStance:
    """One actor's stance toward one target, aggregated over all its mentions."""

    actor: str
    type: str
    target: str
    label: str
    score: float
    scores: dict[str, float]
    affiliated: bool = False
    evidence: list[Evidence] = field(default_factory=list)
    decided_by: str = "model"  # or "affiliation": see StanceClassifier.affiliated_support

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Actor:
    """An organisation or person, with every mention of it in the document grouped together."""

    name: str
    type: str
    kind: str | None = None
    parent: str | None = None
    affiliated: bool = False
    affiliated_with: list[str] = field(default_factory=list)  # targets it works for, owns or belongs to
    mentions: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Target:
    """A platform or company whose supporters and opponents are sought."""

    name: str
    aliases: list[str] = field(default_factory=list)
    mentioned: bool = True  # False: the document never names it, so nobody's stance toward it is read

    def to_dict(self) -> dict:
        return asdict(self)
