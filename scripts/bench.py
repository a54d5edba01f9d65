"""Speed, memory and quality side by side, in one run.

    python scripts/bench.py            # full: >= 150,000 words (several minutes on 2 cores)
    python scripts/bench.py --quick    # a small folder, under a minute, for routine checks
    python scripts/bench.py --format json     # one JSON object instead of the table
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import bench_steps as bench  # beside this script: python puts scripts/ first on sys.path

parser = argparse.ArgumentParser()
parser.add_argument("--quick", action="store_true")
parser.add_argument("--format", choices=["table", "json"], default="table")
parser.add_argument("--words", type=int, default=None, help="benchmark folder size (default 150,000; quick 4,000)")
parser.add_argument("--sample-words", type=int, default=None, help="words for the in-process peer/encoder runs")
args = parser.parse_args()
words = args.words or (4_000 if args.quick else 150_000)
sample_words = args.sample_words or (2_000 if args.quick else 30_000)
log = (lambda message: print(message, file=sys.stderr)) if args.format == "json" else print

with tempfile.TemporaryDirectory() as tmp:
    folder = Path(tmp) / "articles"
    texts = bench.build_folder(folder, words)
    subset = bench.build_folder(Path(tmp) / "subset", sample_words)
    kb = bench.write_target_kb(Path(tmp) / "targets.jsonl")
    log(f"benchmark folder: {len(texts)} documents, {bench.count_words(texts):,} words")
    floor = bench.timed("NER floor", lambda: bench.ner_floor(texts), log)
    one = bench.timed("annotate --workers 1", lambda: bench.annotate_run(folder, texts, 1, kb), log)
    two = bench.timed("annotate --workers 2", lambda: bench.annotate_run(folder, texts, 2, kb), log)
    # --quick leaves out the cluster run: a Dask cluster's start-up alone takes a quarter of its minute
    cluster = None if args.quick else bench.timed(
        "annotate --scheduler local:2 (Dask)", lambda: bench.cluster_run(folder, texts, 2, kb), log
    )
    peer = bench.timed("peer (one pass per actor-sentence pair)", lambda: bench.peer(subset, kb), log)
    ours = bench.timed("stance in-process on the same subset", lambda: bench.time_pipe(bench.load_default(kb), subset, 8), log)
    share = bench.timed("encoder share", lambda: bench.encoder_share(subset, kb), log)
    cold = bench.timed("cold start", lambda: bench.cold_start(runs=1 if args.quick else 3), log)
    latency = bench.timed("stance tag latency", bench.tag_latency, log)

result = {
    "documents": len(texts),
    "words": bench.count_words(texts),
    "ner_words_per_s": round(floor.words_per_s, 1),
    "annotate_words_per_s": round(one.words_per_s, 1),
    "annotate_docs_per_s": round(one.documents_per_s, 2),
    "annotate_workers2_words_per_s": round(two.words_per_s, 1),
    "annotate_workers2_docs_per_s": round(two.documents_per_s, 2),
    "dask2_words_per_s": round(cluster.words_per_s, 1) if cluster else None,
    "dask_overhead_vs_workers2": round(cluster.seconds / two.seconds - 1, 3) if cluster else None,
    "peer_words_per_s": round(peer.words_per_s, 1),
    "inprocess_words_per_s": round(ours.words_per_s, 1),
    "ratio_vs_ner": round(one.words_per_s / floor.words_per_s, 3),
    "speedup_vs_peer": round(ours.words_per_s / peer.words_per_s, 2),
    "encoder_share": round(share, 3),
    "peak_rss_mb": round(one.peak_rss_mb, 1),
    "peak_rss_mb_workers2": round(two.peak_rss_mb, 1),
    "cold_start_s": round(cold, 2),
    "tag_latency_s": round(latency, 2),
}
if args.format == "json":
    print(json.dumps(result))
else:
    rows = [
        ("spaCy sm, NER only (floor)", f"{floor.words_per_s:,.0f}", f"{floor.documents_per_s:.1f}", "", ""),
        ("stance annotate --workers 1", f"{one.words_per_s:,.0f}", f"{one.documents_per_s:.1f}", f"{one.peak_rss_mb:,.0f}",
         f"encoder {share:.0%} of time"),
        ("stance annotate --workers 2", f"{two.words_per_s:,.0f}", f"{two.documents_per_s:.1f}",
         f"{two.peak_rss_mb:,.0f}", "per process"),
        ("stance annotate --scheduler local:2 (Dask)", f"{cluster.words_per_s:,.0f}", f"{cluster.documents_per_s:.1f}",
         f"{cluster.peak_rss_mb:,.0f}", f"{cluster.seconds / two.seconds - 1:+.0%} time vs --workers 2")
        if cluster else ("stance annotate --scheduler local:2 (Dask)", "", "", "", "not run with --quick"),
        ("stance, in-process (subset)", f"{ours.words_per_s:,.0f}", f"{ours.documents_per_s:.1f}", "", ""),
        ("peer: one pass per actor-sentence (subset)", f"{peer.words_per_s:,.0f}", f"{peer.documents_per_s:.1f}", "", ""),
    ]
    print("\n| run | words/s | docs/s | peak RSS MB | note |\n|---|---:|---:|---:|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print(f"\nratio_vs_ner {result['ratio_vs_ner']}  speedup_vs_peer {result['speedup_vs_peer']}  "
          f"cold_start_s {result['cold_start_s']}  tag_latency_s {result['tag_latency_s']}")
