"""The benchmark's building blocks (scripts/bench_steps.py) on a small folder: the table itself is
measured by running scripts/bench.py, not by a timed test."""

import importlib.util
import json
import sys
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


def load_steps():
    spec = importlib.util.spec_from_file_location("bench_steps", SCRIPTS / "bench_steps.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_steps"] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


def test_the_benchmark_folder_is_real_article_text_of_the_size_asked(tmp_path):
    steps = load_steps()
    texts = steps.build_folder(tmp_path / "articles", 3_000)
    assert steps.count_words(texts) >= 3_000
    assert len(list((tmp_path / "articles").iterdir())) == len(texts)
    kb = [json.loads(line) for line in steps.write_target_kb(tmp_path / "kb.jsonl").read_text().splitlines()]
    assert kb and all(entry["kind"] == "platform" for entry in kb)


def test_the_ner_floor_reads_every_word(tmp_path):
    steps = load_steps()
    texts = steps.build_folder(tmp_path / "articles", 500)
    run = steps.ner_floor(texts)
    assert run.words == steps.count_words(texts) and run.seconds > 0
