"""Commands and scoring that had no test of their own: end-to-end scores, show, merge, corpus split/stats."""

import json
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from stance.cli import app
from stance.corpus import read_records
from stance.scoring import align_actors, score_actors, score_triples

ARTICLE = {
    "id": "a1", "text": "Kering sued Veltra. Ana Ruiz of Lumen praised Veltra.",
    "targets": [{"name": "Veltra", "aliases": ["Veltra Express"]}],
    "actors": [
        {"name": "Kering", "type": "ORG", "mentions": ["Kering"], "stances": {"Veltra": "oppose"}},
        {"name": "Ana Ruiz", "type": "PERSON", "mentions": ["Ana Ruiz", "Ruiz"], "stances": {"Veltra": "support"}},
        {"name": "Lumen", "type": "ORG", "mentions": ["Lumen"], "stances": {"Veltra": "neutral"}},
    ],
}


def fake_nlp(actors, stances, targets=("Veltra",)):
    """Stands in for the pipeline: every text comes back with these actors, stances and targets."""
    doc = SimpleNamespace(_=SimpleNamespace(
        actors=[SimpleNamespace(name=name, mentions=mentions) for name, mentions in actors],
        stances=[SimpleNamespace(actor=a, target=t, label=label) for a, t, label in stances],
        targets=[SimpleNamespace(name=name, aliases=[]) for name in targets],
    ))
    nlp = lambda doc_or_text: doc  # noqa: E731
    nlp.make_doc = lambda text: SimpleNamespace(_=SimpleNamespace(target_request=None, actor_request=None))
    return nlp


def test_an_alias_left_unresolved_counts_against_precision():
    predicted = [SimpleNamespace(name="Ana Ruiz", mentions=["Ana Ruiz"]), SimpleNamespace(name="Ruiz", mentions=["Ruiz"]),
                 SimpleNamespace(name="The Lumen", mentions=["The Lumen"])]
    assert align_actors(predicted, ARTICLE["actors"]) == {0: 1, 2: 2}  # "Ruiz" again is spurious; "The" is optional


def test_triples_are_scored_per_label_and_a_wrong_stance_is_both_a_miss_and_a_false_alarm():
    nlp = fake_nlp([("Kering", ["Kering"]), ("Ana Ruiz", ["Ana Ruiz"]), ("Moody's", ["Moody's"])],
                   [("Kering", "Veltra", "oppose"), ("Ana Ruiz", "Veltra", "neutral"), ("Moody's", "Veltra", "neutral")])
    result = score_triples([ARTICLE], nlp, progress=False)
    assert (result["true_positives"], result["predicted"], result["gold"]) == (1, 3, 3)
    assert result["by_label"]["oppose"]["f1"] == 1.0
    assert result["by_label"]["support"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "true_positives": 0,
                                             "predicted": 0, "gold": 1}
    assert result["by_label"]["neutral"]["predicted"] == 2 and result["by_label"]["neutral"]["true_positives"] == 0


def test_actor_scores_list_what_was_missed_and_what_was_invented():
    nlp = fake_nlp([("Kering", ["Kering"]), ("Moody's", ["Moody's"])], [])
    result = score_actors([ARTICLE], nlp, progress=False)
    assert (result["precision"], result["recall"]) == (0.5, pytest.approx(1 / 3, abs=1e-4))
    assert result["missed"] == ["a1: Ana Ruiz", "a1: Lumen"] and result["spurious"] == ["a1: Moody's"]


def annotated(tmp_path, tiny_model):
    """Two one-line articles annotated with the tiny model; the JSONL output."""
    texts = {"a.txt": "Kering sued Alibaba over fakes.", "b.txt": "Gucci praised Alibaba."}
    for name, text in texts.items():
        (tmp_path / "in").mkdir(exist_ok=True)
        (tmp_path / "in" / name).write_text(text)
    args = ["annotate", str(tmp_path / "in"), "--out", str(tmp_path / "out.jsonl"), "-t", "Alibaba", "--quiet"]
    result = CliRunner().invoke(app, [*args, "--model", str(tiny_model)])
    assert result.exit_code == 0, result.output
    return tmp_path / "out.jsonl"


def test_show_prints_one_table_per_document(tmp_path, tiny_model):
    result = CliRunner().invoke(app, ["show", str(annotated(tmp_path, tiny_model))])
    assert result.exit_code == 0, result.output
    assert result.output.count("== ") == 2 and "Kering" in result.output and "Gucci" in result.output
    missing = CliRunner().invoke(app, ["show", str(tmp_path / "nope.jsonl")])
    assert missing.exit_code == 2 and "does not exist" in missing.output


def test_merge_refuses_an_unfinished_run_and_merges_a_finished_one(tmp_path):
    parts = tmp_path / "parts"
    parts.mkdir()
    (parts / "part-00000-x.jsonl").write_text(json.dumps({"id": "a", "path": "a.txt", "actors": []}) + "\n"
                                              + json.dumps({"id": "b", "path": "b.txt", "error": "empty"}) + "\n")
    manifest = {"shards": [{"index": 0, "key": "x", "part": "part-00000-x.jsonl", "documents": 1, "errors": 1}]}
    (parts / "manifest.json").write_text(json.dumps({**manifest, "complete": False}))
    runner = CliRunner()
    unfinished = runner.invoke(app, ["merge", str(parts), "--out", str(tmp_path / "all.jsonl")])
    assert unfinished.exit_code == 2 and "unfinished run" in unfinished.output
    (parts / "manifest.json").write_text(json.dumps({**manifest, "complete": True}))
    done = runner.invoke(app, ["merge", str(parts), "--out", str(tmp_path / "all.jsonl")])
    assert done.exit_code == 0 and "1 records" in done.output
    assert [r["id"] for r in read_records_lines(tmp_path / "all.jsonl")] == ["a"]
    assert [r["id"] for r in read_records_lines(tmp_path / "all.jsonl.errors.jsonl")] == ["b"]
    again = runner.invoke(app, ["merge", str(parts), "--out", str(tmp_path / "all.jsonl")])
    assert again.exit_code == 2 and "--force" in again.output


def read_records_lines(path):
    return [json.loads(line) for line in path.read_text().splitlines()]


def records_with_groups(tmp_path):
    rows = [{"id": f"r{i}", "text": f"Kering sued Veltra, case {i}.", "actor": "Kering", "target": "Veltra",
             "stance": "oppose", "meta": {"group": f"g{i // 2}"}} for i in range(40)]
    rows.append({"id": "held", "text": "Kering sued Zoomly.", "actor": "Kering", "target": "Zoomly", "stance": "oppose",
                 "meta": {"group": "z"}})
    path = tmp_path / "all.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_corpus_split_keeps_groups_together_and_held_out_targets_in_test(tmp_path):
    source, runner = records_with_groups(tmp_path), CliRunner()
    result = runner.invoke(app, ["corpus", "split", str(source), "--output-dir", str(tmp_path / "c"), "--held-out", "Zoomly"])
    assert result.exit_code == 0, result.output
    splits = {s: read_records(tmp_path / "c" / f"{s}.jsonl") for s in ("train", "dev", "test")}
    assert sum(map(len, splits.values())) == 41 and "held" in {r["id"] for r in splits["test"]}
    homes = {}
    for split, rows in splits.items():
        for row in rows:
            homes.setdefault(row["meta"]["group"], set()).add(split)
    assert all(len(where) == 1 for where in homes.values())  # no event group crosses splits
    again = runner.invoke(app, ["corpus", "split", str(source), "--output-dir", str(tmp_path / "c")])
    assert again.exit_code == 2 and "--force" in again.output


def test_corpus_stats_prints_the_table_or_json(tmp_path):
    runner = CliRunner()
    runner.invoke(app, ["corpus", "split", str(records_with_groups(tmp_path)), "--output-dir", str(tmp_path / "c")])
    table = runner.invoke(app, ["corpus", "stats", str(tmp_path / "c")])
    assert table.exit_code == 0 and "| records" in table.output and "oppose share" in table.output
    as_json = json.loads(runner.invoke(app, ["corpus", "stats", str(tmp_path / "c"), "--format", "json"]).output)
    assert as_json["all"]["records"] == 41 and as_json["all"]["label_share"]["oppose"] == 1.0


def test_tag_json_is_the_annotate_record_without_its_file_fields(tmp_path, tiny_model):
    out = annotated(tmp_path, tiny_model)
    [full] = [r for r in read_records_lines(out) if r["id"] == "a.txt"]
    result = CliRunner().invoke(app, ["tag", str(tmp_path / "in" / "a.txt"), "-t", "Alibaba", "--format", "json",
                                      "--model", str(tiny_model)])
    assert result.exit_code == 0, result.output
    tagged = json.loads(result.output)
    for field in ("path", "sha1", "model", "meta", "text"):
        del full[field]
    for actor in full["actors"]:
        del actor["spans"]
    assert tagged == full
