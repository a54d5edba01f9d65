import json

import pytest

from stance.evaluate import metrics


def test_metrics_match_a_hand_computed_example():
    gold = ["support", "support", "oppose", "oppose", "neutral"]
    pred = ["support", "oppose", "oppose", "oppose", "support"]
    m = metrics(gold, pred)
    # support: P 1/2, R 1/2, F1 0.5; oppose: P 2/3, R 1, F1 0.8; neutral: P 0, R 0, F1 0
    assert m["accuracy"] == pytest.approx(3 / 5)
    assert m["per_label"]["support"]["f1"] == pytest.approx(0.5)
    assert m["per_label"]["oppose"]["precision"] == pytest.approx(2 / 3)
    assert m["per_label"]["oppose"]["f1"] == pytest.approx(0.8)
    assert m["macro_f1"] == pytest.approx((0.5 + 0.8 + 0.0) / 3)
    assert m["confusion"]["matrix"] == [[1, 1, 0], [0, 2, 0], [1, 0, 0]]


def test_macro_f1_only_over_labels_in_gold():
    m = metrics(["support", "oppose"], ["support", "neutral"])
    assert m["labels_scored"] == ["support", "oppose"]
    assert m["macro_f1"] == pytest.approx(0.5)


def test_restricting_labels_picks_the_best_allowed_one_and_keeps_missing_actors_and_allowed_labels():
    from stance.evaluate import restrict

    scores = {"support": 0.2, "oppose": 0.3, "neutral": 0.5}
    assert restrict({"label": "neutral", "scores": scores}, ["support", "oppose"])["label"] == "oppose"
    missing = {"label": "neutral", "scores": {"support": 0.0, "oppose": 0.0, "neutral": 1.0}, "found": False}
    assert restrict(missing, ["support", "oppose"])["label"] == "neutral"
    # an affiliated actor: the rule says support although the model's scores lean to oppose
    ruled = {"label": "support", "scores": {"support": 0.1, "oppose": 0.6, "neutral": 0.3}}
    assert restrict(ruled, ["support", "oppose"])["label"] == "support"


def test_evaluate_cli_refuses_unknown_labels(tiny_model, tmp_path):
    from typer.testing import CliRunner

    from stance.cli import app

    data = write_records(tmp_path / "data.jsonl")
    result = CliRunner().invoke(app, ["evaluate", str(data), "--model", str(tiny_model), "--labels", "pro,con"])
    assert result.exit_code != 0 and "support, oppose, neutral" in result.output


def write_records(path):
    import json

    records = [
        {"id": "1", "text": "Gucci sued Alibaba over fakes.", "actor": "Gucci", "target": "Alibaba", "stance": "oppose"},
        {"id": "2", "text": "Ana Ruiz, a spokeswoman for Veltra, praised the new rules.", "actor": "Ana Ruiz",
         "target": "Veltra", "stance": "support"},
        {"id": "3", "text": "Nobody commented on Veltra.", "actor": "Lumen Watch", "target": "Veltra", "stance": "neutral"},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def test_evaluate_cli_writes_predictions_and_counts_missing_actors(tiny_model, tmp_path):
    import json

    from typer.testing import CliRunner

    from stance.cli import app

    data = write_records(tmp_path / "data.jsonl")
    predictions = tmp_path / "preds.jsonl"
    result = CliRunner().invoke(
        app, ["evaluate", str(data), "--model", str(tiny_model), "--predictions", str(predictions), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output[result.output.index("{"):])
    assert report["n"] == 3 and report["actor_not_found"] == 1
    assert report["actors_not_found"] == [{"id": "3", "actor": "Lumen Watch"}]
    rows = [json.loads(line) for line in predictions.read_text().splitlines()]
    assert [r["id"] for r in rows] == ["1", "2", "3"]
    labels = {"support", "oppose", "neutral"}
    assert all(r["pred"] in labels and set(r["scores"]) == labels for r in rows)
    assert rows[2]["pred"] == "neutral" and rows[2]["found"] is False  # the actor is not in the text
    assert rows[0]["found"] is True


def test_evaluate_report_names_the_actors_it_could_not_find(tiny_model, tmp_path):
    from typer.testing import CliRunner

    from stance.cli import app

    data = write_records(tmp_path / "data.jsonl")
    result = CliRunner().invoke(app, ["evaluate", str(data), "--model", str(tiny_model)])
    assert result.exit_code == 0, result.output
    assert "actors not found" in result.output and "3: Lumen Watch" in result.output


def test_tfidf_baseline_runs_through_the_cli(tmp_path):
    from typer.testing import CliRunner

    from stance.cli import app

    data = write_records(tmp_path / "data.jsonl")
    result = CliRunner().invoke(app, ["evaluate", str(data), "--baseline", "tfidf", "--train-data", str(data)])
    assert result.exit_code == 0, result.output
    assert "macro-F1" in result.output and "confusion" in result.output
    assert "ECE" in result.output


def test_evaluate_labels_repeat_or_separate_by_commas(tiny_model, tmp_path):
    from typer.testing import CliRunner

    from stance.cli import app

    data = write_records(tmp_path / "data.jsonl")
    runs = [["--labels", "support", "--labels", "oppose"], ["--labels", "support,oppose"]]
    reports = [json.loads(CliRunner().invoke(app, ["evaluate", str(data), "--model", str(tiny_model), "--format", "json",
                                                   *labels]).output) for labels in runs]
    assert reports[0]["decided_among"] == reports[1]["decided_among"] == ["support", "oppose"]
