"""The actor knowledge base: canonical names, aliases, kinds and parents of known actors.

The built-in file is ``stance/data/actors.jsonl``; users can pass their own files, merged over it
(an entry with the same name replaces the built-in one).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .errors import KBError, kb_line
from .text.jsonl import parsed_lines

BUILTIN_KB = "actors.jsonl"
TYPES = ("ORG", "PERSON")


@dataclass(frozen=True)
class KBEntry:
    name: str
    type: str
    kind: str | None = None
    aliases: tuple[str, ...] = ()
    parent: str | None = None
    category: str | None = None
    ambiguous: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass
class KnowledgeBase:
    entries: dict[str, KBEntry] = field(default_factory=dict)

    @classmethod
    def load(cls, extra: Iterable[str | Path] | str | Path | None = None, builtin: bool = True) -> KnowledgeBase:
        """Load the built-in KB and merge user files over it; the same files (unchanged) are read once
        per process, so the KB ruler and the actor resolver of a pipeline share one KB.

        Example:
            >>> kb = KnowledgeBase.load()
            >>> kb.resolve("Ma Yun")
            'Jack Ma'
        """
        paths = [Path(extra)] if isinstance(extra, (str, Path)) else [Path(p) for p in extra or ()]
        for path in paths:
            if not path.is_file():
                raise KBError(f"Knowledge-base file {path} does not exist. Pass the path of a JSONL file.")
        return _read_kb(builtin, tuple((str(path.resolve()), path.stat().st_mtime_ns) for path in paths))

    def merge(self, entries: Iterable[KBEntry]) -> None:
        for entry in entries:
            self.entries[entry.name] = entry
        self._alias_index = None

    def check_parents(self) -> None:
        for entry in self.entries.values():
            if entry.parent and entry.parent not in self.entries:
                raise KBError(
                    f"KB entry {entry.name!r} names parent {entry.parent!r}, which is not in the KB. "
                    "Add an entry for the parent or set \"parent\" to null."
                )

    @property
    def alias_index(self) -> dict[str, str]:
        """Every surface form (name or alias) → canonical name."""
        if getattr(self, "_alias_index", None) is None:
            index: dict[str, str] = {}
            for entry in self.entries.values():
                for surface in entry.names:
                    index.setdefault(surface, entry.name)
            for entry in self.entries.values():  # a canonical name always wins over an alias
                index[entry.name] = entry.name
            self._alias_index = index
        return self._alias_index

    def resolve(self, surface: str) -> str | None:
        return self.alias_index.get(surface)

    def get(self, name: str | None) -> KBEntry | None:
        return self.entries.get(name) if name else None

    def ancestors(self, name: str) -> list[str]:
        """Parent, grandparent, … of an entry (cycles are cut)."""
        chain: list[str] = []
        entry = self.get(name)
        while entry and entry.parent and entry.parent not in chain and entry.parent != name:
            chain.append(entry.parent)
            entry = self.get(entry.parent)
        return chain

    def descendants(self, name: str) -> list[str]:
        """Entries whose parent chain reaches ``name`` (subsidiaries, brands, staff)."""
        return [e.name for e in self.entries.values() if name in self.ancestors(e.name)]

    def platforms(self) -> list[KBEntry]:
        return [e for e in self.entries.values() if e.kind == "platform"]

    def __len__(self) -> int:
        return len(self.entries)


def read_entries(lines: Iterable[str], source: object) -> list[KBEntry]:
    entries = []
    for number, raw in parsed_lines(lines):
        if isinstance(raw, json.JSONDecodeError):
            raise kb_line(source, number, f"not valid JSON ({raw.msg})")
        entries.append(entry_from_dict(raw, source, number))
    return entries


def entry_from_dict(raw: object, source: object, number: int) -> KBEntry:
    if not isinstance(raw, dict):
        raise kb_line(source, number, f"found a {type(raw).__name__}, not an object")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise kb_line(source, number, 'missing or empty "name"')
    if raw.get("type") not in TYPES:
        raise kb_line(source, number, f'"type" is {raw.get("type")!r}, expected "ORG" or "PERSON"')
    aliases = raw.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise kb_line(source, number, '"aliases" must be a list of non-empty strings')
    parent = raw.get("parent")
    if parent is not None and not isinstance(parent, str):
        raise kb_line(source, number, '"parent" must be a string or null')
    return KBEntry(
        name=name.strip(),
        type=raw["type"],
        kind=raw.get("kind"),
        aliases=tuple(a.strip() for a in aliases),
        parent=parent,
        category=raw.get("category"),
        ambiguous=bool(raw.get("ambiguous", False)),
    )


@lru_cache(maxsize=8)
def _read_kb(builtin: bool, files: tuple[tuple[str, int], ...]) -> KnowledgeBase:
    """The KB of these files (path, modification time): a changed file is a new key, so it is read again."""
    kb = KnowledgeBase()
    if builtin:
        source = resources.files("stance.data").joinpath(BUILTIN_KB)
        kb.merge(read_entries(source.read_text(encoding="utf-8").splitlines(), BUILTIN_KB))
    for path, _ in files:
        kb.merge(read_entries(Path(path).read_text(encoding="utf-8").splitlines(), Path(path)))
    kb.check_parents()
    return kb
