"""Label Studio formats without the server: review tasks out, labelled exports back in."""

from __future__ import annotations

import copy
import json
import xml.etree.ElementTree as ET
from collections import Counter

import pytest
from typer.testing import CliRunner

from stance.cli import app
from stance.corpus import validate
from stance.labelstudio_import import gold_article, import_export, read_export
from stance.review import (
    ACTOR,
    AFFILIATED,
    NAME,
    STANCE,
    TEXT,
    label_config,
    parse_stance_choice,
    read_results,
    review_task,
    review_tasks,
)

TEXT_A = ("Gucci sued Veltra over fakes. Veltra spokeswoman Ana Ruiz called the Gucci suit baseless. "
          "Gucci said it would not settle. The Courier reported the case.")


def span(text: str, form: str, nth: int = 0) -> list[int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(form, start + 1)
    return [start, start + len(form)]


def stance(target: str, label: str, score: float, decided_by: str = "model") -> dict:
    scores = {k: (score if k == label else (1 - score) / 2) for k in ("support", "oppose", "neutral")}
    return {"target": target, "label": label, "score": score, "scores": scores, "affiliated": decided_by != "model",
            "evidence": [], "decided_by": decided_by}


def record(doc_id: str = "a.txt", brand: str = "Gucci", low: float = 0.55) -> dict:
    """A hand-made `stance annotate` record: Gucci (two mentions), Ana Ruiz (affiliated), The Courier."""
    text = TEXT_A.replace("Gucci", brand)
    return {
        "id": doc_id, "path": f"in/{doc_id}", "sha1": "x", "model": {"name": "tiny", "version": "0.1.0"}, "meta": {},
        "targets": [{"name": "Veltra", "mentioned": True, "mentions": ["Veltra"]},
                    {"name": "Alibaba", "mentioned": False, "mentions": []}],
        "actors": [
            {"name": brand, "type": "ORG", "kind": "brand", "parent": "Kering", "affiliated": False, "affiliated_with": [],
             "mentions": [brand], "spans": [span(text, brand), span(text, brand, 1)],
             "stances": [stance("Veltra", "oppose", 0.9)]},
            {"name": "Ana Ruiz", "type": "PERSON", "kind": None, "parent": None, "affiliated": True,
             "affiliated_with": ["Veltra"], "mentions": ["Ana Ruiz"], "spans": [span(text, "Ana Ruiz")],
             "stances": [stance("Veltra", "support", 0.2, "affiliation")]},
            {"name": "The Courier", "type": "PERSON", "kind": None, "parent": None, "affiliated": False, "affiliated_with": [],
             "mentions": ["Courier"], "spans": [span(text, "Courier")], "stances": [stance("Veltra", "support", low)]},
        ],
        "text": text,
    }


def results_of(task: dict, control: str) -> dict[str, dict]:
    return {r["id"]: r for r in task["predictions"][0]["result"] if r["from_name"] == control}


def exported(task: dict, result: list[dict] | None = None, task_id: int = 1, **annotation) -> dict:
    """The task as Label Studio exports it, with one annotation (by default: the prediction accepted)."""
    result = copy.deepcopy(task["predictions"][0]["result"] if result is None else result)
    return {"id": task_id, "data": task["data"], "predictions": [],
            "annotations": [{"id": task_id * 10, "completed_by": 1, "result": result, "was_cancelled": False,
                             "ground_truth": False, **annotation}]}


def test_the_config_is_xml_with_the_controls_the_tasks_use():
    root = ET.fromstring(label_config())
    names = {e.get("name"): e for e in root.iter() if e.get("name")}
    assert {TEXT, ACTOR, NAME, STANCE, AFFILIATED} <= set(names)
    assert [label.get("value") for label in names[ACTOR]] == ["ORG", "PERSON"]
    for control in (NAME, STANCE, AFFILIATED):
        assert names[control].get("perRegion") == "true" and names[control].get("toName") == TEXT
    task = review_task(record())
    variables = {e.get("value")[1:] for e in root.iter() if (e.get("value") or "").startswith("$")}
    assert variables <= set(task["data"])


def test_a_task_holds_the_model_reading_as_pre_annotations():
    task = review_task(record())
    data = task["data"]
    assert data["targets"] == [{"name": "Veltra", "aliases": []}]  # Alibaba is not named in the text
    assert [c["value"] for c in data["stance_choices"]] == ["Veltra: support", "Veltra: oppose", "Veltra: neutral"]
    labels, names, stances = (results_of(task, c) for c in (ACTOR, NAME, STANCE))
    assert len(labels) == 4 and set(labels) == set(names)  # Gucci twice, Ana Ruiz, The Courier
    for region in labels.values():
        value = region["value"]
        assert data["text"][value["start"]:value["end"]] == value["text"]
    assert [names[r]["value"]["text"] for r in sorted(names)] == [["Gucci"], ["Gucci"], ["Ana Ruiz"], ["The Courier"]]
    assert {r: s["value"]["choices"] for r, s in stances.items()} == {
        "a0m0": ["Veltra: oppose"], "a1m0": ["Veltra: support"], "a2m0": ["Veltra: support"]}
    assert stances["a0m0"]["score"] == 0.9 and "score" not in stances["a1m0"]  # the rule decided Ana Ruiz's
    assert results_of(task, AFFILIATED)["a1m0"]["value"]["choices"] == ["Veltra"]
    # the document's confidence is its least confident model decision, not the rule's
    assert data["confidence"] == task["predictions"][0]["score"] == 0.55
    reading = data["model_reading"].splitlines()
    assert reading[1].startswith("The Courier") and reading[-1] == "Ana Ruiz → Veltra: support (affiliation rule)"


def test_min_score_and_targets_narrow_the_pre_annotations():
    task = review_task(record(), min_score=0.6)
    assert "a2m0" not in results_of(task, STANCE)  # The Courier's 0.55 is left for the labeller
    assert "The Courier → Veltra: support (0.55) — not pre-annotated: decide it" in task["data"]["model_reading"]
    assert review_task(record(), targets=["veltra"])["data"]["targets"][0]["name"] == "Veltra"
    assert review_task(record(), targets=["Alibaba"]) is None  # not named in the text


def test_tasks_come_least_confident_first(tmp_path):
    path = tmp_path / "results.jsonl"
    rows = [record("sure.txt", low=0.95), record("unsure.txt", low=0.4), {"path": "bad.bin", "error": "binary"},
            {**record("none.txt"), "actors": []}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    skipped = Counter()
    tasks = review_tasks(read_results([path]), limit=2, skipped=skipped)
    assert [t["data"]["id"] for t in tasks] == ["unsure.txt", "sure.txt"]
    assert skipped == {"beyond --limit 2 (more confident)": 1}  # none.txt: no stance, so last
    assert review_tasks(read_results([path]), targets=["Nope"], skipped=skipped) == []


@pytest.mark.parametrize("line, message", [
    ("{nope", "not valid JSON"),
    ('{"id": "x", "targets": [], "actors": []}', "has no text"),
    ('{"id": "x"}', "not a record of `stance annotate`"),
])
def test_bad_results_files_say_what_to_pass(tmp_path, line, message):
    path = tmp_path / "r.jsonl"
    path.write_text(line + "\n")
    with pytest.raises(ValueError, match=message):
        read_results([path])


def test_accepted_pre_annotations_make_a_valid_gold_article():
    article, problems, counts = gold_article(exported(review_task(record())))
    assert problems == []
    assert [(a["name"], a["type"], a["mentions"], a["stances"], a["affiliated_with"]) for a in article["actors"]] == [
        ("Gucci", "ORG", ["Gucci"], {"Veltra": "oppose"}, None),
        ("Ana Ruiz", "PERSON", ["Ana Ruiz"], {"Veltra": "support"}, "Veltra"),
        ("The Courier", "PERSON", ["Courier"], {"Veltra": "support"}, None),
    ]
    assert article["actors"][0]["parent"] == "Kering" and article["review"]["task"] == 1
    assert counts["stances kept"] == 3 and counts["stances changed"] == 0


def test_corrections_are_read_as_the_labeller_made_them():
    task = review_task(record())
    text = task["data"]["text"]
    result = [r for r in task["predictions"][0]["result"] if not r["id"].startswith("a2")]  # The Courier deleted
    for r in result:
        if r["from_name"] == STANCE and r["id"] == "a0m0":
            r["value"]["choices"] = ["Veltra: neutral"]  # changed
        if r["from_name"] == ACTOR and r["id"] == "a0m1":
            r["value"]["end"] += 1  # the selection took the next space along
    start, end = span(text, "The Courier")
    # a new actor: a span, a type and a stance, no name typed (it is named by its text)
    result += [{"id": "new1", "from_name": ACTOR, "to_name": TEXT, "type": "labels",
                "value": {"start": start, "end": end, "text": "The Courier", "labels": ["ORG"]}},
               {"id": "new1", "from_name": STANCE, "to_name": TEXT, "type": "choices",
                "value": {"start": start, "end": end, "choices": ["Veltra: neutral"]}}]
    article, problems, counts = gold_article(exported(task, result))
    assert problems == []
    actors = {a["name"]: a for a in article["actors"]}
    assert actors["Gucci"]["stances"] == {"Veltra": "neutral"} and actors["Gucci"]["mentions"] == ["Gucci"]
    assert actors["The Courier"]["type"] == "ORG" and actors["The Courier"]["mentions"] == ["The Courier"]
    assert counts["stances changed"] == 2 and counts["stances kept"] == 1  # Gucci and The Courier changed
    assert counts["actors removed"] == 0 and counts["actors added"] == 0  # its name is the model's actor's: retyped


@pytest.mark.parametrize("edit, message", [
    (lambda rs: [r for r in rs if not (r["from_name"] == STANCE and r["id"] == "a0m0")],
     "actor 'Gucci': no stance toward 'Veltra'"),
    (lambda rs: rs + [{**copy.deepcopy(next(r for r in rs if r["id"] == "a0m1")), "from_name": STANCE, "type": "choices",
                       "value": {"start": 44, "end": 49, "choices": ["Veltra: support"]}}],
     "stances oppose and support toward 'Veltra' on different spans"),
    (lambda rs: [{**r, "value": {**r["value"], "labels": ["PERSON"]}} if r["id"] == "a0m1" and r["from_name"] == ACTOR
                 else r for r in rs],
     "actor 'Gucci': spans labelled ORG and PERSON"),
    (lambda rs: [{**r, "value": {**r["value"], "choices": ["Veltra: maybe"]}} if r["from_name"] == STANCE else r for r in rs],
     "stance choice 'Veltra: maybe' names no target"),
    (lambda rs: [], "no actor labelled"),
    (lambda rs: [{**r, "value": {**r["value"], "start": 29, "end": 30}} if r["id"] == "a0m0" else r for r in rs],
     "holds only spaces"),
])
def test_what_a_labeller_left_open_is_reported_not_guessed(edit, message):
    task = review_task(record())
    article, problems, _ = gold_article(exported(task, edit(copy.deepcopy(task["predictions"][0]["result"]))))
    assert article is None
    assert any(message in p for p in problems), problems


def test_skipped_unlabelled_and_disagreeing_tasks_are_reported():
    task = review_task(record())
    assert gold_article(exported(task, was_cancelled=True))[1] == ["skipped in Label Studio"]
    assert gold_article({**exported(task), "annotations": []})[1] == ["not labelled yet (no submitted annotation)"]
    two = exported(task)
    other = copy.deepcopy(two["annotations"][0])
    courier = results_of(task, STANCE)["a2m0"]
    other["result"] = [r for r in other["result"] if r["from_name"] != STANCE or r["id"] != "a2m0"] + [
        {**courier, "value": {**courier["value"], "choices": ["Veltra: neutral"]}}]
    two["annotations"].append(other)
    assert "2 annotations that differ" in gold_article(two)[1][0]
    other["ground_truth"] = True
    article, problems, _ = gold_article(two)
    assert problems == [] and article["actors"][2]["stances"] == {"Veltra": "neutral"}


def test_two_targets_and_a_target_that_is_an_actor():
    text = "Veltra sued Dorsa Pay. Kestrel Cloud backed Veltra and criticised Dorsa Pay."
    rec = {"id": "two.txt", "text": text, "model": {}, "targets": [
        {"name": "Veltra", "mentioned": True, "mentions": ["Veltra"]},
        {"name": "Dorsa Pay", "mentioned": True, "mentions": ["Dorsa Pay"]}], "actors": [
        {"name": "Veltra", "type": "ORG", "mentions": ["Veltra"], "affiliated_with": [], "spans": [span(text, "Veltra")],
         "stances": [stance("Dorsa Pay", "oppose", 0.8)]},
        {"name": "Kestrel Cloud", "type": "ORG", "mentions": ["Kestrel Cloud"], "affiliated_with": [],
         "spans": [span(text, "Kestrel Cloud")],
         "stances": [stance("Veltra", "support", 0.7), stance("Dorsa Pay", "neutral", 0.6)]}]}
    task = review_task(rec)
    assert results_of(task, STANCE)["a1m0"]["value"]["choices"] == ["Veltra: support", "Dorsa Pay: neutral"]
    assert parse_stance_choice("Dorsa Pay: neutral") == ("Dorsa Pay", "neutral") and parse_stance_choice("x") is None
    article, problems, _ = gold_article(exported(task))
    assert problems == []
    assert [a["stances"] for a in article["actors"]] == [{"Dorsa Pay": "oppose"}, {"Veltra": "support", "Dorsa Pay": "neutral"}]


def test_an_import_is_a_corpus_that_validates(tmp_path):
    tasks = [review_task(record(f"doc-{i}.txt", brand)) for i, brand in enumerate(["Gucci", "Prada", "Fendi", "Dior"])]
    export = tmp_path / "export.json"
    rows = [exported(t, task_id=i + 1) for i, t in enumerate(tasks)]
    rows.append(exported(tasks[0], task_id=99, was_cancelled=True))
    export.write_text(json.dumps(rows))
    # one split: the texts are near copies, which validation rightly flags across splits
    summary = import_export(export, tmp_path / "corpus", dev_share=0, test_share=0)
    assert summary.articles == {"train": 4, "dev": 0, "test": 0} and summary.records["train"] == 12
    assert summary.left_out[0]["problems"] == ["skipped in Label Studio"]
    assert validate(tmp_path / "corpus").ok, validate(tmp_path / "corpus").problems
    assert json.loads((tmp_path / "corpus" / "left-out.jsonl").read_text())["task"] == 99
    with pytest.raises(FileExistsError):
        import_export(export, tmp_path / "corpus")


def test_an_export_in_another_format_is_refused(tmp_path):
    path = tmp_path / "min.json"
    path.write_text(json.dumps([{"id": 1, "text": "x", "actor": []}]))
    with pytest.raises(ValueError, match="JSON format"):
        read_export(path)
    path.write_text(json.dumps([{"id": 1, "data": {"text": "x"}, "annotations": []}]))
    with pytest.raises(ValueError, match="not a `stance review` task"):
        read_export(path)


def test_the_commands(tmp_path):
    runner = CliRunner()
    assert runner.invoke(app, ["review", "--config"]).output == label_config()
    results = tmp_path / "results.jsonl"
    results.write_text(json.dumps(record()) + "\n")
    tasks = tmp_path / "tasks.json"
    done = runner.invoke(app, ["review", str(results), "--out", str(tasks)])
    assert done.exit_code == 0, done.output
    assert "1 tasks written" in done.output
    assert runner.invoke(app, ["review", str(results), "--out", str(tasks)]).exit_code == 2  # no --force
    assert runner.invoke(app, ["review", str(results)]).exit_code == 2
    task = json.loads(tasks.read_text())[0]
    export = tmp_path / "export.json"
    export.write_text(json.dumps([exported(task), exported(task, task_id=2, was_cancelled=True)]))
    done = runner.invoke(app, ["corpus", "import", str(export), "--output-dir", str(tmp_path / "corpus")])
    assert done.exit_code == 1, done.output  # task 2 was skipped: listed, the rest imported
    assert "imported 1 articles" in done.output and "task 2 (a.txt): skipped in Label Studio" in done.output
    assert runner.invoke(app, ["corpus", "validate", str(tmp_path / "corpus")]).exit_code == 0
