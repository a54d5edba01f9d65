"""The Label Studio side of scripts/label_studio_check.sh, run with the Label Studio venv's Python.

It plays the labeller through Label Studio's SDK: it creates a project with the shipped labelling
config, imports the `stance review` tasks (each prediction checked against the config by the SDK),
and submits one annotation per task, made from the model's pre-annotations the way a careful
labeller corrects them, following a key (scripts/label_studio_labels.json): a span of an actor the
key names is kept (its type corrected), other spans are deleted, missed actors and mentions are
added, and each actor's stance and affiliation are set to the key's. The first submission of one
task forgets a stance (the import must report it); `complete` fixes it, as a labeller would.

    python label_studio_check.py submit STATE TASKS LABELS
    python label_studio_check.py export STATE OUT.json
    python label_studio_check.py complete STATE
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

from label_studio_sdk import LabelStudio
from label_studio_sdk.label_interface import LabelInterface

INCOMPLETE = "veltra-privacy-inquiry.txt"  # the task whose first annotation forgets a stance


def client(state: dict) -> LabelStudio:
    return LabelStudio(base_url=state["url"], api_key=state["token"])


def spans(text: str, forms: list[str]) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    for form in sorted(forms, key=len, reverse=True):
        for match in re.finditer(rf"(?<!\w){re.escape(form)}(?!\w)", text):
            if not any(s < match.end() and match.start() < e for s, e in found):
                found.append((match.start(), match.end()))
    return sorted(found)


def labelled_result(task: dict, prediction: dict, key: list[dict], forget: str | None, counts: Counter) -> list[dict]:
    """The annotation a labeller submits: the prediction corrected to the key."""
    text = task["data"]["text"]
    by_region: dict[str, dict] = {}
    for result in prediction["result"]:
        by_region.setdefault(result["id"], {})[result["from_name"]] = result
    owner = {form: actor["name"] for actor in key for form in [actor["name"], *actor["mentions"]]}
    kept: dict[str, list[tuple[int, int, str]]] = {actor["name"]: [] for actor in key}
    model_stances: dict[str, dict] = {}
    model_types: dict[str, set] = {}
    for region_id, parts in by_region.items():
        value = parts["actor"]["value"]
        name = owner.get(value["text"]) or owner.get(parts.get("actor_name", {}).get("value", {}).get("text", [""])[0])
        if name is None:
            counts["spans deleted (not an actor)"] += 1
            continue
        kept[name].append((value["start"], value["end"], region_id))
        model_types.setdefault(name, set()).update(value["labels"])
        for choice in parts.get("stance", {}).get("value", {}).get("choices", []):
            target, _, label = choice.rpartition(": ")
            model_stances.setdefault(name, {})[target] = label
    result = []
    for actor in key:
        regions = kept[actor["name"]]
        if not regions:
            counts["actors added"] += 1
        elif model_types[actor["name"]] != {actor["type"]}:
            counts["actor types corrected"] += 1
        covered = {(s, e) for s, e, _ in regions}
        for start, end in spans(text, [actor["name"], *actor["mentions"]]):
            if (start, end) not in covered and not any(s < end and start < e for s, e, _ in regions):
                regions.append((start, end, f"x{len(result)}"))
                counts["spans added"] += 1
        regions.sort()
        for index, (start, end, region_id) in enumerate(regions):
            where = {"start": start, "end": end}
            result.append(_result(region_id, "actor", "labels", {**where, "text": text[start:end], "labels": [actor["type"]]}))
            result.append(_result(region_id, "actor_name", "textarea", {**where, "text": [actor["name"]]}))
            if index:
                continue
            choices = [f"{target}: {label}" for target, label in actor["stances"].items() if actor["name"] != forget]
            if choices:
                result.append(_result(region_id, "stance", "choices", {**where, "choices": choices}))
            if actor["affiliated_with"]:
                result.append(_result(region_id, "affiliated_with", "choices", {**where, "choices": [actor["affiliated_with"]]}))
        for target, label in actor["stances"].items():
            before = model_stances.get(actor["name"], {}).get(target)
            if before is not None:
                counts["pre-annotated stances accepted" if before == label else "pre-annotated stances changed"] += 1
    return result


def _result(region: str, control: str, kind: str, value: dict) -> dict:
    return {"id": region, "from_name": control, "to_name": "text", "type": kind, "value": value}


def submit(state_path: str, tasks_path: str, labels_path: str) -> None:
    state = json.loads(Path(state_path).read_text())
    ls = client(state)
    config = Path(state["config"]).read_text()
    interface = LabelInterface(config)
    tasks = json.loads(Path(tasks_path).read_text())
    for task in tasks:
        errors = interface.validate_prediction(task["predictions"][0], return_errors=True)
        if errors:
            raise SystemExit(f"task {task['data']['id']}: the prediction does not fit the config: {errors}")
    project = ls.projects.create(title="stance review check", label_config=config)
    imported = ls.projects.import_tasks(id=project.id, request=tasks, return_task_ids=True)
    print(f"project {project.id}: imported {imported.task_count} tasks with {imported.prediction_count} predictions")
    key = json.loads(Path(labels_path).read_text())
    counts: Counter = Counter()
    state.update(project=project.id, annotations={})
    for task in ls.tasks.list(project=project.id, fields="all"):
        doc_id = task.data["id"]
        prediction = ls.predictions.list(task=task.id)[0]
        forget = next(a["name"] for a in key[doc_id] if a["name"] == "Open Ledger") if doc_id == INCOMPLETE else None
        result = labelled_result({"data": task.data}, {"result": prediction.result}, key[doc_id], forget, counts)
        errors = interface.validate_prediction({"result": result}, return_errors=True)
        if errors:
            raise SystemExit(f"task {doc_id}: the annotation does not fit the config: {errors}")
        annotation = ls.annotations.create(id=task.id, result=result, parent_prediction=prediction.id, lead_time=30.0)
        state["annotations"][doc_id] = {"task": task.id, "annotation": annotation.id, "prediction": prediction.id}
        counts["annotations submitted"] += 1
    Path(state_path).write_text(json.dumps(state, indent=1))
    for name, count in sorted(counts.items()):
        print(f"  {name}: {count}")
    print(f"  (task {INCOMPLETE}: submitted without a stance for Open Ledger)")


def complete(state_path: str, labels_path: str) -> None:
    state = json.loads(Path(state_path).read_text())
    ls = client(state)
    ids = state["annotations"][INCOMPLETE]
    task = ls.tasks.get(id=ids["task"])
    prediction = ls.predictions.get(id=ids["prediction"])
    key = json.loads(Path(labels_path).read_text())[INCOMPLETE]
    result = labelled_result({"data": task.data}, {"result": prediction.result}, key, None, Counter())
    ls.annotations.update(id=ids["annotation"], result=result)
    print(f"task {ids['task']} ({INCOMPLETE}): annotation {ids['annotation']} completed (Open Ledger's stance set)")


def export(state_path: str, out: str) -> None:
    state = json.loads(Path(state_path).read_text())
    data = b"".join(client(state).projects.exports.download_sync(id=state["project"], export_type="JSON",
                                                                 download_all_tasks=True))
    tasks = json.loads(data)
    Path(out).write_text(json.dumps(tasks, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    annotations = sum(len(t["annotations"]) for t in tasks)
    print(f"exported {len(tasks)} tasks with {annotations} annotations to {out}")


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    {"submit": submit, "complete": complete, "export": export}[command](*args)
