"""Batch annotation of files and folders: streamed, resumable, and bad input never stops a batch.

JSONL is the canonical output, appended and flushed per document. CSV and HTML are rendered from it
at the end, so ``--resume`` works the same for every format.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from tqdm import tqdm

from .io import Document, ReadError, read_path, walk
from .records import doc_record
from .writers import read_jsonl, write_csv, write_html

FORMATS = ("jsonl", "csv", "html")


@dataclass
class AnnotateOptions:
    targets: list[str] = field(default_factory=list)
    kb: list[str] = field(default_factory=list)
    model: str | None = None
    batch_size: int = 8
    workers: int = 1
    text_field: str = "text"
    id_field: str = "id"
    include_text: bool = True


@dataclass
class Summary:
    annotated: int = 0
    skipped: int = 0
    errors: list[dict] = field(default_factory=list)
    records_path: Path | None = None
    errors_path: Path | None = None

    @property
    def failed(self) -> int:
        return len(self.errors)


def output_paths(out: Path, fmt: str) -> tuple[Path, Path]:
    """Where the canonical records and the error records go for an output ``out``."""
    records = out if fmt == "jsonl" else out.with_name(out.name + ".records.jsonl")
    return records, out.with_name(out.stem + ".errors.jsonl")


def annotate(
    paths: Sequence[str | Path],
    out: str | Path,
    fmt: str = "jsonl",
    options: AnnotateOptions | None = None,
    resume: bool = False,
    force: bool = False,
    progress: bool = True,
) -> Summary:
    """Annotate every document under ``paths`` and write ``out``.

    Example:
        >>> summary = annotate(["samples/"], "out/demo.jsonl", options=AnnotateOptions(targets=["Alibaba"]))  # doctest: +SKIP
        >>> summary.annotated, summary.failed  # doctest: +SKIP
        (1, 0)
    """
    options = options or AnnotateOptions()
    if fmt not in FORMATS:
        raise ValueError(f"Unknown format {fmt!r}; choose one of {', '.join(FORMATS)}.")
    out = Path(out)
    records_path, errors_path = output_paths(out, fmt)
    if out.exists() and not (resume or force):
        raise FileExistsError(f"{out} exists. Pass --resume to continue it or --force to overwrite it.")
    out.parent.mkdir(parents=True, exist_ok=True)
    done = _finished(records_path) if resume else set()
    errors_path.unlink(missing_ok=True)  # failed documents are retried, so their errors are written anew
    if not resume:
        for path in (records_path, out):
            path.unlink(missing_ok=True)
    summary = Summary(records_path=records_path, errors_path=errors_path)
    outputs = {records_path.resolve(), errors_path.resolve(), out.resolve()}
    documents = _documents(paths, options, outputs)
    todo = (d for d in documents if not _is_done(d, done, summary))
    total = _count_documents(paths, outputs)
    with open(records_path, "a", encoding="utf-8") as sink, open(errors_path, "a", encoding="utf-8") as errors:
        bar = tqdm(total=total, unit="doc", disable=not progress, desc="annotate")
        skipped_shown = 0
        for item in _annotated(todo, options):
            target = errors if "error" in item else sink
            target.write(json.dumps(item, ensure_ascii=False) + "\n")
            target.flush()
            if "error" in item:
                summary.errors.append(item)
            else:
                summary.annotated += 1
            bar.update(1 + summary.skipped - skipped_shown)
            skipped_shown = summary.skipped
        bar.close()
    if fmt == "csv":
        write_csv(read_jsonl(records_path), out)
    elif fmt == "html":
        write_html(list(read_jsonl(records_path)), out)
    return summary


def _documents(paths, options: AnnotateOptions, outputs: set[Path]) -> Iterator[Document | ReadError]:
    for root in map(Path, paths):
        for item in walk([root], skip=list(outputs)):
            if isinstance(item, ReadError):
                yield item
            else:
                yield from read_path(item, root if root.is_dir() else item.parent, options.text_field, options.id_field)


def _count_documents(paths, outputs: set[Path]) -> int:
    """Documents to expect, for the progress bar's rate and time left (rows for JSONL/CSV)."""
    total = 0
    for item in walk(paths, skip=list(outputs)):
        if isinstance(item, Path) and item.suffix.lower() in (".jsonl", ".csv"):
            try:
                total += sum(1 for line in open(item, "rb") if line.strip()) - (item.suffix.lower() == ".csv")
            except OSError:
                total += 1
        else:
            total += 1
    return total


def _finished(records_path: Path) -> set[tuple[str, str]]:
    """(id, sha1) of complete records; a half-written last line is cut off so it is redone."""
    if not records_path.exists():
        return set()
    data = records_path.read_bytes()
    complete = data[: data.rfind(b"\n") + 1]
    if len(complete) != len(data):
        records_path.write_bytes(complete)
    return {(r["id"], r["sha1"]) for r in read_jsonl(records_path)}


def _is_done(item: Document | ReadError, done: set, summary: Summary) -> bool:
    if isinstance(item, Document) and (item.id, item.sha1) in done:
        summary.skipped += 1
        return True
    return False


def _annotated(items: Iterator[Document | ReadError], options: AnnotateOptions) -> Iterator[dict]:
    """Records (or error dicts) in input order, from one process or a pool of workers."""
    batches = _batches(items, options.batch_size)
    if options.workers <= 1:
        _init_worker(options)
        for batch in batches:
            yield from _annotate_batch(batch)
        return
    context = multiprocessing.get_context("spawn")
    with context.Pool(options.workers, initializer=_init_worker, initargs=(options,)) as pool:
        for records in pool.imap(_annotate_batch, batches):
            yield from records


def _batches(items: Iterator, size: int) -> Iterator[list]:
    while batch := list(islice(items, size)):
        yield batch


_NLP = None
_OPTIONS: AnnotateOptions | None = None


def _init_worker(options: AnnotateOptions, threads: int | None = None) -> None:
    """Load the pipeline once per process, sharing the cores between worker processes."""
    global _NLP, _OPTIONS
    import torch

    from .api import load

    if threads or options.workers > 1:
        torch.set_num_threads(threads or max(1, (os.cpu_count() or 1) // options.workers))
    if _NLP is None or _OPTIONS != options:
        _NLP = load(options.model, targets=options.targets, kb=options.kb)
        _OPTIONS = options


def _annotate_batch(batch: list[Document | ReadError]) -> list[dict]:
    documents = [d for d in batch if isinstance(d, Document)]
    try:
        docs: list = list(_NLP.pipe(d.text for d in documents))
    except Exception:  # one bad document must not sink its batch: redo them one by one
        docs = [_safe_call(d.text) for d in documents]
    parsed = iter(docs)
    records = []
    for item in batch:
        if isinstance(item, ReadError):
            records.append(item.to_dict())
            continue
        doc = next(parsed)
        if isinstance(doc, Exception):
            records.append({"id": item.id, "path": item.path, "error": f"pipeline failed: {doc!r}"})
        else:
            records.append(_record(item, doc))
    return records


def _safe_call(text: str):
    try:
        return _NLP(text)
    except Exception as error:  # noqa: BLE001 - becomes an error record
        return error


def _record(document: Document, doc) -> dict:
    record = doc_record(doc, document.id)
    spans: dict[str, list] = {}
    for span in doc.spans.get("actors", []):
        spans.setdefault(span.id_, []).append([span.start_char, span.end_char])
    for actor in record["actors"]:
        actor["spans"] = spans.get(actor["name"], [])
    settings = getattr(_NLP.get_pipe("stance_classifier"), "settings", None) if "stance_classifier" in _NLP.pipe_names else None
    record.update(
        path=document.path,
        sha1=document.sha1,
        model={"name": settings.name, "version": settings.version} if settings else None,
        meta=document.meta,
    )
    if _OPTIONS is None or _OPTIONS.include_text:
        record["text"] = document.text
    return record
