"""Benchmark building blocks: a folder of real article text, and timed runs of each approach.

``scripts/bench.py`` runs them side by side in one process tree and prints the table, because
absolute times on shared machines vary from run to run.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Run:
    seconds: float
    words: int
    documents: int
    peak_rss_mb: float | None = None

    @property
    def words_per_s(self) -> float:
        return self.words / self.seconds

    @property
    def documents_per_s(self) -> float:
        return self.documents / self.seconds


def gold_articles() -> list[dict]:
    articles = []
    for path in sorted((ROOT / "corpora" / "platform-stance" / "articles").glob("*.jsonl")):
        articles += [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    return articles


def article_texts() -> list[str]:
    """The corpus gold articles and the sample article."""
    texts = [(ROOT / "samples" / "luxury-brands-vs-alibaba.txt").read_text(encoding="utf-8")]
    return texts + [article["text"] for article in gold_articles()]


def write_target_kb(path: Path) -> Path:
    """The articles' (invented) target platforms as a user KB, so that each article's own targets
    are found by default, as a user who adds their platforms to the KB would have it."""
    known = {}
    for article in gold_articles():
        for target in article["targets"]:
            known[target["name"]] = {"name": target["name"], "type": "ORG", "kind": "platform",
                                     "aliases": [a for a in target.get("aliases", []) if a != target["name"]]}
    aliases_seen: set[str] = set(known)
    lines = []
    for entry in known.values():
        entry["aliases"] = [a for a in entry["aliases"] if a not in aliases_seen]
        aliases_seen.update(entry["aliases"])
        lines.append(json.dumps(entry))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def build_folder(folder: Path, min_words: int) -> list[str]:
    """Write the articles, repeated as needed, as .txt files until ``min_words`` is reached."""
    folder.mkdir(parents=True, exist_ok=True)
    texts, written, words = article_texts(), [], 0
    while words < min_words:
        text = texts[len(written) % len(texts)]
        (folder / f"article-{len(written):05d}.txt").write_text(text, encoding="utf-8")
        written.append(text)
        words += len(text.split())
    return written


def count_words(texts: list[str]) -> int:
    return sum(len(t.split()) for t in texts)


def time_pipe(nlp, texts: list[str], batch_size: int = 16) -> Run:
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=batch_size):
        pass
    return Run(time.perf_counter() - start, count_words(texts), len(texts))


def ner_floor(texts: list[str]) -> Run:
    """spaCy en_core_web_sm with only what NER needs (tok2vec + ner)."""
    import spacy

    from stance.api import BASE_PIPELINE

    nlp = spacy.load(BASE_PIPELINE, exclude=["tagger", "parser", "attribute_ruler", "lemmatizer", "senter"])
    return time_pipe(nlp, texts)


def encoder_share(texts: list[str], kb: Path, model: str | None = None) -> float:
    """Share of end-to-end time spent inside the stance encoder (in-process, one worker)."""
    from stance.api import load

    nlp = load(model, kb=kb)
    classifier = nlp.get_pipe("stance_classifier")
    spent = [0.0]
    original = classifier.probabilities

    def timed(contexts):
        start = time.perf_counter()
        try:
            return original(contexts)
        finally:
            spent[0] += time.perf_counter() - start

    classifier.probabilities = timed
    total = time_pipe(nlp, texts, batch_size=8)
    return spent[0] / total.seconds


def peer(texts: list[str], kb: Path, model: str | None = None) -> Run:
    """The common approach: the same encoder once per (actor, sentence) pair, with the target and
    the actor marked, as most stance and relation tools do."""
    import torch

    from stance.api import default_model_path, load
    from stance.model.network import encode_windows, load_model
    from stance.model.templates import target_marker_v1

    nlp = load(stances=False, kb=kb)
    network, tokenizer, settings = load_model(model or default_model_path())
    start = time.perf_counter()
    for doc in nlp.pipe(texts, batch_size=16):
        windows = []
        for target in doc._.targets:
            target_spans = [s for s in doc.spans["targets"] if s.id_ == target.name]
            for span in doc.spans["actors"]:
                sent = span.sent
                in_sentence = [(t.start_char - sent.start_char, t.end_char - sent.start_char)
                               for t in target_spans if sent.start <= t.start and t.end <= sent.end]
                actor = [(span.start_char - sent.start_char, span.end_char - sent.start_char)]
                windows.append(target_marker_v1(sent.text, target.name, in_sentence, [actor]))
        with torch.inference_mode():
            for i in range(0, len(windows), 16):
                network(**encode_windows(tokenizer, windows[i : i + 16], settings.max_length))
    return Run(time.perf_counter() - start, count_words(texts), len(texts))


def run_measured(command: list[str], env: dict | None = None) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MB, largest single process) of a command tree."""
    import psutil

    start = time.perf_counter()
    process = psutil.Popen(command, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0.0
    while process.poll() is None:
        try:
            tree = [process, *process.children(recursive=True)]
            peak = max(peak, *(p.memory_info().rss / 2**20 for p in tree))
        except psutil.Error:
            pass
        time.sleep(0.05)
    seconds = time.perf_counter() - start
    if process.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(command)} failed: {process.stderr.read().decode()[-2000:]}")
    return seconds, peak


def annotate_run(folder: Path, texts: list[str], workers: int, kb: Path) -> Run:
    with tempfile.TemporaryDirectory() as tmp:
        command = [sys.executable, "-m", "stance", "annotate", str(folder), "--out", f"{tmp}/out.jsonl",
                   "--workers", str(workers), "--quiet", "--kb", str(kb)]
        seconds, peak = run_measured(command)
    return Run(seconds, count_words(texts), len(texts), peak)


def cluster_run(folder: Path, texts: list[str], workers: int, kb: Path) -> Run:
    """The same annotation through a local Dask cluster (cluster start-up included)."""
    with tempfile.TemporaryDirectory() as tmp:
        command = [sys.executable, "-m", "stance", "annotate", str(folder), "--out", f"{tmp}/parts",
                   "--scheduler", f"local:{workers}", "--quiet", "--kb", str(kb)]
        seconds, peak = run_measured(command)
    return Run(seconds, count_words(texts), len(texts), peak)


def cold_start(runs: int = 3) -> float:
    """Seconds from `import stance` to the first tagged article, in a fresh process: the median of
    ``runs`` processes, because single start-ups on a shared machine vary by a second or more."""
    return statistics.median(_cold_start_once() for _ in range(runs))


def _cold_start_once() -> float:
    code = (
        "import time; t = time.perf_counter(); import stance; nlp = stance.load(); "
        f"nlp(open({str(ROOT / 'samples' / 'luxury-brands-vs-alibaba.txt')!r}).read()); "
        "print(time.perf_counter() - t)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(result.stdout.strip().splitlines()[-1])


def tag_latency() -> float:
    seconds, _ = run_measured([sys.executable, "-m", "stance", "tag", str(ROOT / "samples" / "luxury-brands-vs-alibaba.txt")])
    return seconds


def timed(label: str, step: Callable[[], object], log: Callable[[str], None] = print):
    start = time.perf_counter()
    result = step()
    log(f"  {label}: {time.perf_counter() - start:.1f}s")
    return result


def load_default(kb: Path):
    from stance.api import load

    return load(kb=kb)
