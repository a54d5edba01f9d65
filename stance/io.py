"""Readers: paths → documents (or error records, never a crash)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .text.dates import date_problem, front_matter, front_matter_date, html_date, parse_date
from .text.jsonl import parsed_lines
from .text.normalize import normalize_text

MAX_FILE_BYTES = 5_000_000  # a single article over 5 MB is refused, not chunked: it is not an article
TEXT_SUFFIXES = {".txt", ".md", ".text", ".markdown"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
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
    targets: list[str] = field(default_factory=list)  # this document's own targets (a row's target field)

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


@dataclass
class Fields:
    """Which fields of a JSONL row or CSV column hold the text, the id, the document's targets and its date."""

    text: str = "text"
    id: str = "id"
    targets: str | None = None
    date: str = "date"


def read_path(path: Path, root: Path | None = None, fields: Fields | None = None) -> Iterator[Document | ReadError]:
    """Documents from one file: one for .txt/.md/.html, one per row for .jsonl/.csv."""
    yield from read_bytes(_load(path), str(path), path.suffix.lower(), _relative_id(path, root), fields or Fields())


def _load(path: Path) -> bytes | ReadError:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES and path.suffix.lower() not in TABLE_SUFFIXES:
            return ReadError(str(path), f"file is {size:,} bytes; the limit for one article is {MAX_FILE_BYTES:,}")
        return path.read_bytes()
    except OSError as error:
        return ReadError(str(path), f"cannot read: {error.strerror or error}")


def read_bytes(raw: bytes | ReadError, shown: str, suffix: str, doc_id: str, fields: Fields) -> Iterator[Document | ReadError]:
    """Documents from a file's bytes (``stance tag`` reads standard input this way too)."""
    if isinstance(raw, ReadError):
        yield raw
        return
    if not raw.strip():
        yield ReadError(shown, "empty file", doc_id)
        return
    if len(raw) > MAX_FILE_BYTES and suffix not in TABLE_SUFFIXES:
        yield ReadError(shown, f"input is {len(raw):,} bytes; the limit for one article is {MAX_FILE_BYTES:,}", doc_id)
        return
    if b"\x00" in raw[:8192]:
        yield ReadError(shown, "binary file (contains NUL bytes); expected text, HTML, JSONL or CSV", doc_id)
        return
    text, encoding_note = decode(raw)
    if looks_binary(text):
        yield ReadError(shown, f"binary file (over {BINARY_SHARE:.0%} control or undecodable characters); "
                               "expected text, HTML, JSONL or CSV", doc_id)
        return
    meta = {"encoding_warning": encoding_note} if encoding_note else {}
    if suffix == ".jsonl":
        yield from _read_jsonl(text, shown, doc_id, fields, meta)
    elif suffix == ".csv":
        yield from _read_csv(text, shown, doc_id, fields, meta)
    elif suffix in HTML_SUFFIXES:
        body, date = html_document(text)
        yield _document(doc_id, body, shown, {**meta, "date": date} if date else meta)
    elif suffix in MARKDOWN_SUFFIXES:
        body, meta = markdown_document(text, meta)
        yield _document(doc_id, body, shown, meta)
    else:
        yield _document(doc_id, text, shown, meta)


BINARY_SHARE = 0.05
_CONTROL = {chr(c) for c in range(32)} - {"\t", "\n", "\r", "\f", "\v"} | {"\ufffd", "\x7f"}


def looks_binary(text: str, sample: int = 8192) -> bool:
    """Random bytes decode to text full of control and replacement characters; articles have none."""
    head = text[:sample]
    return bool(head) and sum(ch in _CONTROL for ch in head) / len(head) > BINARY_SHARE


# bytes 0x80-0x9F are printable in cp1252 (quotes, dashes, €) but C1 controls in latin-1: a
# Western text with them is cp1252, one without them reads the same in both
_WESTERN = ("cp1252", "latin-1")


def decode(raw: bytes) -> tuple[str, str | None]:
    """UTF-8 if it is; else Western (cp1252/latin-1) text where it reads as such; else the encoding
    charset-normalizer detects; else UTF-8 with replacement. The note says what was guessed."""
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    for encoding in _WESTERN:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _reads_as_western(text):
            return text, f"not UTF-8; decoded as {encoding} (guessed)"
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is not None and best.encoding:
        return str(best), f"not UTF-8; decoded as {best.encoding} (guessed)"
    return raw.decode("utf-8", errors="replace"), "not UTF-8 and no encoding detected; bad bytes replaced"


def _reads_as_western(text: str) -> bool:
    """Mostly ASCII letters, the rest Latin-1 letters and common punctuation, no C1 controls."""
    non_ascii = [ch for ch in text if ord(ch) > 127]
    if any(0x80 <= ord(ch) <= 0x9F for ch in non_ascii):
        return False
    letters = sum(ch.isalpha() for ch in text)
    return letters > 0.3 * len(text.strip() or "x") and len(non_ascii) < 0.1 * len(text)


def html_to_text(html: str) -> str:
    """Visible text only: scripts, styles and page chrome are dropped, blocks become paragraphs."""
    return html_document(html)[0]


def html_document(html: str) -> tuple[str, str | None]:
    """A page's visible text (as :func:`html_to_text`) and its publication date (ISO 8601) if it gives one."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    date = html_date(soup)
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for tag in soup(HIDDEN_HTML):
        tag.decompose()
    blocks = [b.get_text(" ", strip=True) for b in soup.find_all(["h1", "h2", "h3", "h4", "p", "li", "blockquote", "pre"])]
    blocks = [b for b in blocks if b]
    if not blocks:
        blocks = [line for line in soup.get_text("\n").splitlines() if line.strip()]
    if title and (not blocks or blocks[0] != title):
        blocks.insert(0, title)
    return "\n\n".join(blocks), date


def markdown_document(text: str, meta: dict) -> tuple[str, dict]:
    """Markdown without its front matter (a title there is kept as the first line), and meta with its date."""
    fields, body = front_matter(text)
    if not fields:
        return text, meta
    date, problem = front_matter_date(fields)
    title = fields.get("title", "")
    if title and not body.lstrip().lstrip("# ").startswith(title):
        body = f"{title}\n\n{body}"
    return body, {**meta, **({"date": date} if date else {}), **({"date_warning": problem} if problem else {})}


def _document(doc_id: str, text: str, path: str, meta: dict, targets: list[str] | None = None) -> Document | ReadError:
    text = normalize_text(text)
    if not text:
        return ReadError(path, "no text left after removing markup and whitespace", doc_id)
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        return ReadError(path, f"text is over {MAX_FILE_BYTES:,} bytes, the limit for one article", doc_id)
    return Document(doc_id, text, path, dict(meta), list(targets or []))


def row_targets(value: object) -> list[str] | None:
    """A row's targets: a list of names, or one string of names separated by "|"; None if malformed."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [name.strip() for name in value.split("|") if name.strip()]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [v.strip() for v in value if v.strip()]
    return None


def _read_jsonl(text: str, path: str, file_id: str, fields: Fields, meta: dict):
    for number, row in parsed_lines(text.splitlines()):
        row_id = f"{file_id}#{number}"
        if isinstance(row, json.JSONDecodeError):
            yield ReadError(path, f"line {number}: not valid JSON ({row.msg})", row_id)
            continue
        if not isinstance(row, dict) or not isinstance(row.get(fields.text), str):
            found = sorted(row) if isinstance(row, dict) else type(row).__name__
            yield ReadError(path, f"line {number}: no text field {fields.text!r} (found {found}); use --text-field", row_id)
            continue
        yield _row_document(row, str(row.get(fields.id) or row_id), path, fields, meta, f"line {number}")


def _read_csv(text: str, path: str, file_id: str, fields: Fields, meta: dict):
    reader = csv.DictReader(io.StringIO(text))
    if fields.text not in (reader.fieldnames or []):
        yield ReadError(path, f"no column {fields.text!r}; columns found: {reader.fieldnames}. Use --text-field NAME", file_id)
        return
    for number, row in enumerate(reader, 1):
        row_id = f"{file_id}#row{number}"
        yield _row_document({**row, fields.text: row[fields.text] or ""}, str(row.get(fields.id) or row_id), path, fields,
                            meta, f"row {number}")


def _row_document(row: dict, doc_id: str, path: str, fields: Fields, meta: dict, where: str) -> Document | ReadError:
    targets = row_targets(row.get(fields.targets)) if fields.targets else []
    if targets is None:
        return ReadError(path, f"{where}: target field {fields.targets!r} must be a list of names or a "
                               f"'|'-separated string, found {row.get(fields.targets)!r}", doc_id)
    return _document(doc_id, row[fields.text], path, {**meta, **row_date(row, fields.date)}, targets)


def row_date(row: dict, field_name: str) -> dict:
    """``{"date": ISO}`` for a row's date field, a ``date_warning`` if it holds no readable date, else ``{}``."""
    value = row.get(field_name)
    if value is None or value == "":
        return {}
    date = parse_date(value)
    return {"date": date} if date else {"date_warning": f"{field_name!r} field: {date_problem(value)}"}


def _relative_id(path: Path, root: Path | None) -> str:
    if root is not None and root.is_dir():
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            pass
    return path.as_posix()
