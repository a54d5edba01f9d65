"""The Annotator: one loaded pipeline turning batches of documents into records. Every batch run
uses it: `stance annotate` in one process, its worker pool (``--workers``), and Dask workers.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

import torch

from .api import load
from .io import Document, Fields, ReadError
from .records import complete_record


@dataclass
class AnnotateOptions:
    targets: list[str] = field(default_factory=list)
    kb: list[str] = field(default_factory=list)
    model: str | None = None
    batch_size: int = 8
    workers: int = 1
    text_field: str = "text"
    id_field: str = "id"
    target_field: str | None = None
    date_field: str = "date"
    include_text: bool = True

    def __post_init__(self) -> None:
        for name in ("batch_size", "workers"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a whole number of at least 1, found {value!r}.")

    @property
    def fields(self) -> Fields:
        return Fields(self.text_field, self.id_field, self.target_field, self.date_field)

    def run_settings(self) -> dict:
        """What decides a record's content: a resumed run must use the same."""
        return {"targets": sorted(self.targets), "kb": sorted(self.kb), "model": self.model,
                "text_field": self.text_field, "id_field": self.id_field, "target_field": self.target_field,
                "date_field": self.date_field, "include_text": self.include_text}

    def to_dict(self) -> dict:
        return asdict(self)


class Annotator:
    """The pipeline of ``options``, loaded once, and the records of the documents it reads."""

    def __init__(self, options: AnnotateOptions, threads: int | None = None):
        # processes that share the machine share its cores: one torch pool each would oversubscribe them
        if threads or options.workers > 1:
            torch.set_num_threads(threads or max(1, (os.cpu_count() or 1) // options.workers))
        self.options = options
        self.nlp = load(options.model, targets=options.targets, kb=options.kb)
        classifier = self.nlp.get_pipe("stance_classifier") if "stance_classifier" in self.nlp.pipe_names else None
        settings = getattr(classifier, "settings", None)
        self.model = {"name": settings.name, "version": settings.version} if settings else None

    def annotate(self, batch: Sequence[Document | ReadError]) -> list[dict]:
        """One record per item, in order: a complete record, or an error record for a read error or a
        document the pipeline failed on (one bad document never sinks its batch)."""
        documents = [d for d in batch if isinstance(d, Document)]
        try:
            docs: list = list(self.nlp.pipe(self._as_doc(d) for d in documents))
        except Exception:  # redo the batch one by one, to find the document that failed
            docs = [self._safe_call(self._as_doc(d)) for d in documents]
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
                records.append(complete_record(doc, item, self.model, self.options.include_text))
        return records

    def _as_doc(self, document: Document):
        """A Doc carrying the document's own targets (a row's target field) for the actor resolver."""
        doc = self.nlp.make_doc(document.text)
        doc._.target_request = document.targets or None
        return doc

    def _safe_call(self, doc):
        try:
            return self.nlp(doc)
        except Exception as error:  # noqa: BLE001 - becomes an error record
            return error


# the Annotator of this worker process (multiprocessing pools start workers with an initializer and
# then send them batches only, so the worker keeps its Annotator here)
_PROCESS_ANNOTATOR: Annotator | None = None


def start_worker(options: AnnotateOptions, threads: int | None = None) -> Annotator:
    """This process's Annotator for ``options``, loaded on first use."""
    global _PROCESS_ANNOTATOR
    if _PROCESS_ANNOTATOR is None or _PROCESS_ANNOTATOR.options != options:
        _PROCESS_ANNOTATOR = Annotator(options, threads)
    return _PROCESS_ANNOTATOR


def annotate_in_worker(batch: Sequence[Document | ReadError]) -> list[dict]:
    """A pool task: the batch annotated by this process's Annotator (see :func:`start_worker`)."""
    assert _PROCESS_ANNOTATOR is not None, "start_worker(options) runs first in every worker process"
    return _PROCESS_ANNOTATOR.annotate(batch)
