"""Cluster runs on a LocalCluster of 2 worker processes with the tiny test model."""

import json
import os
import signal
import threading
import time

import pytest

from stance.annotate import AnnotateOptions, annotate
from stance.distributed import MANIFEST, annotate_on_cluster, connect, merge
from stance.writers import read_jsonl

distributed = pytest.importorskip("distributed")

TEXTS = [
    "Gucci sued Alibaba over fake bags sold on Taobao.",
    "Michael Kors left the IACC after Alibaba joined it.",
    "LVMH declined to comment on Alibaba.",
    "Jack Ma defended Alibaba at the IACC conference.",
    "Longchamp criticised Alibaba's membership of the IACC.",
]


@pytest.fixture(scope="module")
def client():
    client = connect("local:2")  # what `--scheduler local:2` starts
    yield client
    client.close()
    client.cluster.close()


def test_local_workers_run_without_dasks_malloc_trim_setting(client):
    # with it, every large tensor is mapped and page-faulted afresh (the encoder ran ~1.5x slower)
    environments = client.run(lambda: os.environ.get("MALLOC_TRIM_THRESHOLD_"))
    assert len(environments) == 2 and set(environments.values()) == {None}


@pytest.fixture()
def folder(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(40):
        (folder / f"doc-{i:03d}.txt").write_text(f"Story {i}.\n\n" + TEXTS[i % len(TEXTS)], encoding="utf-8")
    (folder / "empty.txt").write_text("")
    return folder


def options(tiny_model):
    return AnnotateOptions(targets=["Alibaba"], model=str(tiny_model))


def labels(path):
    return {r["id"]: [(a["name"], s["label"]) for a in r["actors"] for s in a["stances"]] for r in read_jsonl(path)}


def scores(path):
    return {r["id"]: [s["score"] for a in r["actors"] for s in a["stances"]] for r in read_jsonl(path)}


def test_cluster_run_equals_single_process_run(client, folder, tiny_model, tmp_path):
    annotate([folder], tmp_path / "single.jsonl", options=options(tiny_model), progress=False)
    summary = annotate_on_cluster([folder], tmp_path / "parts", client, options(tiny_model), shard_size=7, progress=False)
    assert summary.shards == 6 and summary.documents == 40 and len(summary.errors) == 1
    assert merge(tmp_path / "parts", tmp_path / "merged.jsonl") == (40, 1)
    assert labels(tmp_path / "merged.jsonl") == labels(tmp_path / "single.jsonl")
    for doc_id, values in scores(tmp_path / "merged.jsonl").items():
        assert values == pytest.approx(scores(tmp_path / "single.jsonl")[doc_id], abs=1e-4)
    assert not list((tmp_path / "parts").glob(".*.tmp"))


def test_a_killed_worker_loses_and_duplicates_nothing(client, folder, tiny_model, tmp_path):
    for i in range(40, 200):
        (folder / f"doc-{i:03d}.txt").write_text(f"Story {i}.\n\n" + TEXTS[i % len(TEXTS)], encoding="utf-8")
    parts = tmp_path / "parts"
    run = threading.Thread(
        target=annotate_on_cluster, args=([folder], parts, client, options(tiny_model)),
        kwargs={"shard_size": 2, "progress": False},
    )
    run.start()
    deadline = time.time() + 120
    while not list(parts.glob("part-*.jsonl")) and time.time() < deadline:
        time.sleep(0.05)
    complete_at_kill = json.loads((parts / MANIFEST).read_text())["complete"]
    victim = next(iter(client.run(os.getpid).values()))
    os.kill(victim, signal.SIGKILL)
    run.join(timeout=300)
    assert not complete_at_kill, "the worker must die in the middle of the run"
    records, errors = merge(parts, tmp_path / "merged.jsonl")
    ids = [r["id"] for r in read_jsonl(tmp_path / "merged.jsonl")]
    assert records == 200 and errors == 1 and len(ids) == len(set(ids)) == 200


def test_resume_skips_finished_shards(client, folder, tiny_model, tmp_path):
    parts = tmp_path / "parts"
    annotate_on_cluster([folder], parts, client, options(tiny_model), shard_size=5, progress=False)
    manifest = json.loads((parts / MANIFEST).read_text())
    lost = manifest["shards"].pop(3)
    manifest["complete"] = False
    (parts / MANIFEST).write_text(json.dumps(manifest))
    (parts / lost["part"]).unlink()  # as if interrupted before this shard was written
    with pytest.raises(ValueError, match="unfinished"):
        merge(parts, tmp_path / "early.jsonl")
    summary = annotate_on_cluster([folder], parts, client, options(tiny_model), shard_size=5, resume=True, progress=False)
    assert summary.skipped_shards == summary.shards - 1
    assert merge(parts, tmp_path / "merged.jsonl") == (40, 1)


def test_existing_output_folder_is_not_overwritten(client, folder, tiny_model, tmp_path):
    parts = tmp_path / "parts"
    parts.mkdir()
    (parts / "keep.txt").write_text("mine")
    with pytest.raises(FileExistsError, match="--resume"):
        annotate_on_cluster([folder], parts, client, options(tiny_model), progress=False)
