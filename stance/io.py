"""Readers: paths → documents (or error records, never a crash)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .pipeline.normalizer import normalize_text

MAX_FILE_BYTES = 5_000_000  # a single article over 5 MB is refused, not chunked: it is not an article
TEXT_SUFFIXES = {".txt", ".md", ".text", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
TABLE_SUFFIXES = {".jsonl", ".csv"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | TABLE_SUFFIXES
HIDDEN_HTML = ["script", "style", "noscript", "template", "iframe", "svg", "head", "nav", "footer", "form"]


@dataclass
class Document:
    id: str
    text: str
    path: str
    meta: dict = field(default_factory=dict)

    @property
    def sha1(self) -> str:
        return hashlib.sha1(self.text.encode("utf-8")).hexdigest()


@dataclass
class ReadError:
    path: str
    reason: str
    id: str | None = None

    def to_dict(self) -> dict:
        return {"id": self.id, "path": self.path, "error": self.reason}


def walk(paths: Sequence[str | Path], skip: Sequence[str | Path] = ()) -> Iterator[Path | ReadError]:
    """Files under ``paths`` in a stable (sorted) order; hidden files, loops and ``skip`` left out."""
    skipped = {Path(p).resolve() for p in skip}
    for root in map(Path, paths):
        if not root.exists():
            yield ReadError(str(root), "path does not exist")
        elif root.is_file():
            if root.resolve() not in skipped:
                yield root
        else:
            yield from _walk_folder(root, skipped)


def _walk_folder(root: Path, skipped: set[Path]) -> Iterator[Path | ReadError]:
    seen: set[Path] = set()
    for folder, subfolders, files in os.walk(root, followlinks=True):
        real = Path(folder).resolve()
        if real in seen:
            subfolders[:] = []
            yield ReadError(folder, "symlink loop: this folder was already read; skipped")
            continue
        seen.add(real)
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        for name in sorted(files):
            path = Path(folder) / name
            if name.startswith(".") or path.resolve() in skipped:
                continue
            if path.suffix.lower() in SUFFIXES:
                yield path


def read_path(
    path: Path, root: Path | None = None, text_field: str = "text", id_field: str = "id"
) -> Iterator[Document | ReadError]:
    """Documents from one file: one for .txt/.md/.html, one per row for .jsonl/.csv."""
    shown = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES and path.suffix.lower() not in TABLE_SUFFIXES:
            yield ReadError(shown, f"file is {size:,} bytes; the limit for one article is {MAX_FILE_BYTES:,}")
            return
        raw = path.read_bytes()
    except OSError as error:
        yield ReadError(shown, f"cannot read: {error.strerror or error}")
        return
    doc_id = _relative_id(path, root)
    if not raw.strip():
        yield ReadError(shown, "empty file", doc_id)
        return
    if b"\x00" in raw[:8192]:
        yield ReadError(shown, "binary file (contains NUL bytes); expected text, HTML, JSONL or CSV", doc_id)
        return
    text, encoding_note = decode(raw)
    meta = {"encoding_warning": encoding_note} if encoding_note else {}
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        yield from _read_jsonl(text, shown, doc_id, text_field, id_field, meta)
    elif suffix == ".csv":
        yield from _read_csv(text, shown, doc_id, text_field, id_field, meta)
    else:
        body = html_to_text(text) if suffix in HTML_SUFFIXES else text
        yield _document(doc_id, body, shown, meta)


def decode(raw: bytes) -> tuple[str, str | None]:
    """UTF-8 if it is; else the encoding charset-normalizer detects; else UTF-8 with replacement."""
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is not None and best.encoding:
        return str(best), f"not UTF-8; decoded as {best.encoding}"
    warnings.warn("undecodable bytes replaced with U+FFFD", stacklevel=2)
    return raw.decode("utf-8", errors="replace"), "not UTF-8 and no encoding detected; bad bytes replaced"


def html_to_text(html: str) -> str:
    """Visible text only: scripts, styles and page chrome are dropped, blocks become paragraphs."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for tag in soup(HIDDEN_HTML):
        tag.decompose()
    blocks = [b.get_text(" ", strip=True) for b in soup.find_all(["h1", "h2", "h3", "h4", "p", "li", "blockquote", "pre"])]
    blocks = [b for b in blocks if b]
    if not blocks:
        blocks = [line for line in soup.get_text("\n").splitlines() if line.strip()]
    if title and (not blocks or blocks[0] != title):
        blocks.insert(0, title)
    return "\n\n".join(blocks)


def _document(doc_id: str, text: str, path: str, meta: dict) -> Document | ReadError:
    text = normalize_text(text)
    if not text:
        return ReadError(path, "no text left after removing markup and whitespace", doc_id)
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        return ReadError(path, f"text is over {MAX_FILE_BYTES:,} bytes, the limit for one article", doc_id)
    return Document(doc_id, text, path, dict(meta))


def _read_jsonl(text: str, path: str, file_id: str, text_field: str, id_field: str, meta: dict):
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        row_id = f"{file_id}#{number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            yield ReadError(path, f"line {number}: not valid JSON ({error.msg})", row_id)
            continue
        if not isinstance(row, dict) or not isinstance(row.get(text_field), str):
            found = sorted(row) if isinstance(row, dict) else type(row).__name__
            yield ReadError(path, f"line {number}: no text field {text_field!r} (found {found}); use --text-field", row_id)
            continue
        yield _document(str(row.get(id_field) or row_id), row[text_field], path, meta)


def _read_csv(text: str, path: str, file_id: str, text_field: str, id_field: str, meta: dict):
    reader = csv.DictReader(io.StringIO(text))
    if text_field not in (reader.fieldnames or []):
        yield ReadError(path, f"no column {text_field!r}; columns found: {reader.fieldnames}. Use --text-field NAME", file_id)
        return
    for number, row in enumerate(reader, 1):
        row_id = f"{file_id}#row{number}"
        yield _document(str(row.get(id_field) or row_id), row[text_field] or "", path, meta)


def _relative_id(path: Path, root: Path | None) -> str:
    if root is not None and root.is_dir():
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            pass
    return path.as_posix()
