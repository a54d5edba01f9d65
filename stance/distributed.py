"""Batch annotation on a Dask cluster: deterministic shards, atomic parts, a manifest, and merge.

The client reads the inputs and cuts the document stream into shards of ``shard_size`` documents;
a shard's name is a hash of its documents' ids and content, so the same input always gives the
same shards. Each worker loads the pipeline once (a worker plugin) and annotates whole shards; a
shard lost with a dead worker is rerun elsewhere by the scheduler. The client writes each finished
shard as ``part-NNNNN-HASH.jsonl`` (temporary file, then rename) and records it in
``manifest.json``, so an interrupted run loses nothing, ``--resume`` skips finished shards, and
``merge`` yields exactly one record per input document.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from spacy.util import minibatch
from tqdm import tqdm

from .annotate import documents_of, errors_path_for
from .annotator import AnnotateOptions, Annotator
from .io import Document, ReadError
from .text.jsonl import jsonl_line

MANIFEST = "manifest.json"
PLUGIN_NAME = "stance-pipeline"
# Dask's nanny starts workers with MALLOC_TRIM_THRESHOLD_=65536. Setting it switches off glibc's
# adaptive mmap threshold, so every large activation tensor is mmapped and page-faulted afresh:
# `annotate --workers 2` with that variable set took 48% longer (47.1 vs 31.9 s, 40k words).
# Workers started here go without it; see the README for workers started by hand.
NANNY_ENVIRON = {"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}


@dataclass
class Shard:
    index: int
    items: list[Document | ReadError]

    @property
    def key(self) -> str:
        digest = hashlib.sha1()
        for item in self.items:
            digest.update(f"{item.id}\0{item.sha1 if isinstance(item, Document) else item.reason}\n".encode())
        return digest.hexdigest()[:16]

    @property
    def part_name(self) -> str:
        return f"part-{self.index:05d}-{self.key}.jsonl"


@dataclass
class ClusterSummary:
    shards: int = 0
    skipped_shards: int = 0
    documents: int = 0
    errors: list[dict] = field(default_factory=list)


def shards(paths: Sequence[str | Path], options: AnnotateOptions, skip: set[Path], size: int) -> Iterator[Shard]:
    for index, batch in enumerate(minibatch(documents_of(paths, options, skip), size)):
        yield Shard(index, list(batch))


try:
    from distributed.diagnostics.plugin import WorkerPlugin
except ImportError:  # the dask extra is optional
    WorkerPlugin = object


class PipelinePlugin(WorkerPlugin):
    """Loads the stance pipeline once per worker process."""

    name = PLUGIN_NAME

    def __init__(self, options: AnnotateOptions):
        self.options = options

    def setup(self, worker) -> None:
        if "MALLOC_TRIM_THRESHOLD_" in os.environ:
            logging.getLogger(__name__).warning(
                "MALLOC_TRIM_THRESHOLD_ is set on this worker (Dask's default), which makes the stance "
                "encoder about 1.5x slower; start workers with distributed.nanny.pre-spawn-environ."
                "MALLOC_TRIM_THRESHOLD_ set to null in the Dask config (see the README)."
            )
        # one torch thread per Dask worker thread, so that worker processes do not oversubscribe
        state = getattr(worker, "state", worker)
        worker.stance_annotator = Annotator(self.options, threads=max(1, getattr(state, "nthreads", 1) or 1))


def annotate_shard(items: list[Document | ReadError]) -> list[dict]:
    """Runs on a worker: the worker's Annotator (see PipelinePlugin), as a single-machine run uses it."""
    from distributed import get_worker

    return get_worker().stance_annotator.annotate(items)


def connect(scheduler: str):
    """A client for ``tcp://host:port`` or for a new local cluster (``local:N`` worker processes)."""
    try:
        import dask
        from distributed import Client, LocalCluster
    except ImportError:
        raise ValueError("Cluster runs need Dask: pip install 'stance[dask]'.") from None
    if scheduler.startswith("local:"):
        workers = int(scheduler.split(":", 1)[1])
        with dask.config.set(NANNY_ENVIRON):
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        return Client(cluster)
    return Client(scheduler)


def annotate_on_cluster(
    paths: Sequence[str | Path],
    out_dir: str | Path,
    scheduler: str | object,
    options: AnnotateOptions | None = None,
    shard_size: int = 64,
    resume: bool = False,
    force: bool = False,
    progress: bool = True,
) -> ClusterSummary:
    """Annotate ``paths`` on a Dask cluster into part files under ``out_dir``.

    Example:
        >>> annotate_on_cluster(["articles/"], "out/run1", "tcp://10.0.0.5:8786")  # doctest: +SKIP
    """
    from distributed import as_completed

    options = options or AnnotateOptions()
    out_dir = Path(out_dir)
    manifest_path = out_dir / MANIFEST
    if out_dir.exists() and any(out_dir.iterdir()) and not (resume or force):
        raise FileExistsError(f"{out_dir} is not empty. Pass resume=True (`--resume`) to continue it or force=True "
                              "(`--force`) to start over.")
    out_dir.mkdir(parents=True, exist_ok=True)
    if force and not resume:
        for old in out_dir.glob("part-*.jsonl"):
            old.unlink()
        manifest_path.unlink(missing_ok=True)
    done = {entry["part"]: entry for entry in _read_manifest(manifest_path)["shards"]} if resume else {}
    client = connect(scheduler) if isinstance(scheduler, str) else scheduler
    owns_client = isinstance(scheduler, str)
    summary = ClusterSummary()
    manifest = {"shards": [], "complete": False, "options": options.to_dict()}
    try:
        client.register_plugin(PipelinePlugin(options), name=PLUGIN_NAME)
        window = max(2, 2 * len(client.scheduler_info()["workers"]))
        pending = as_completed()
        running: dict = {}
        bar = tqdm(unit="shard", disable=not progress, desc="annotate (cluster)")
        for shard in shards(paths, options, {out_dir.resolve()}, shard_size):
            summary.shards += 1
            if shard.part_name in done and (out_dir / shard.part_name).is_file():
                summary.skipped_shards += 1
                manifest["shards"].append(done[shard.part_name])
                bar.update(1)
                continue
            future = client.submit(annotate_shard, shard.items, key=f"stance-shard-{shard.key}", retries=3, pure=False)
            running[future] = shard
            pending.add(future)
            while len(running) >= window:
                _finish(next(pending), running, out_dir, manifest, manifest_path, summary, bar)
        for future in pending:
            _finish(future, running, out_dir, manifest, manifest_path, summary, bar)
        bar.close()
        manifest["complete"] = True
        manifest["shards"].sort(key=lambda entry: entry["index"])
        _write_atomic(manifest_path, json.dumps(manifest, indent=2) + "\n")
    finally:
        if owns_client:
            cluster = getattr(client, "cluster", None)
            client.close()
            if cluster is not None:
                cluster.close()
    return summary


def _finish(future, running, out_dir: Path, manifest: dict, manifest_path: Path, summary: ClusterSummary, bar) -> None:
    shard = running.pop(future)
    records = future.result()
    _write_atomic(out_dir / shard.part_name, "".join(map(jsonl_line, records)))
    errors = [r for r in records if "error" in r]
    summary.documents += len(records) - len(errors)
    summary.errors += errors
    manifest["shards"].append(
        {"index": shard.index, "key": shard.key, "part": shard.part_name, "documents": len(records) - len(errors),
         "errors": len(errors)}
    )
    _write_atomic(manifest_path, json.dumps(manifest, indent=2) + "\n")
    bar.update(1)


def merge(out_dir: str | Path, out: str | Path, force: bool = False) -> tuple[int, int]:
    """Concatenate a finished run's parts in shard order: records to ``out``, errors beside it."""
    out_dir, out = Path(out_dir), Path(out)
    manifest = _read_manifest(out_dir / MANIFEST)
    if not manifest["complete"]:
        raise ValueError(f"{out_dir} holds an unfinished run; finish it with `stance annotate ... --resume` first.")
    if out.exists() and not force:
        raise FileExistsError(f"{out} exists; pass force=True (`--force`) to overwrite it.")
    errors_path = errors_path_for(out)
    seen: set[str] = set()
    records = errors = 0
    with open(out, "w", encoding="utf-8") as sink, open(errors_path, "w", encoding="utf-8") as error_sink:
        for entry in sorted(manifest["shards"], key=lambda e: e["index"]):
            for line in (out_dir / entry["part"]).read_text(encoding="utf-8").splitlines():
                record = json.loads(line)
                key = f"{record.get('path')}\0{record.get('id')}"
                if key in seen:
                    continue
                seen.add(key)
                if "error" in record:
                    error_sink.write(line + "\n")
                    errors += 1
                else:
                    sink.write(line + "\n")
                    records += 1
    return records, errors


def _read_manifest(path: Path) -> dict:
    if not path.is_file():
        return {"shards": [], "complete": False}
    return json.loads(path.read_text(encoding="utf-8"))


def _write_atomic(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
