"""Real-world robustness: targets a document never names, per-document targets, the annotate
command's format, resume and side files, and one reader for `tag` and `annotate`."""

import json
import random

import pytest
from typer.testing import CliRunner

from stance.cli import app
from stance.io import decode, looks_binary
from stance.writers import read_jsonl


def cli(*args):
    return CliRunner().invoke(app, list(args))


def annotate(*args):
    return cli("annotate", *args, "--quiet")


@pytest.fixture()
def folder(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_text("Gucci sued Alibaba over fakes.", encoding="utf-8")
    (inputs / "b.txt").write_text("Lyft drivers protested in Boston.", encoding="utf-8")
    return inputs


def test_a_target_the_document_never_names_gets_no_stances(tiny_nlp):
    doc = tiny_nlp.make_doc("Gucci sued Alibaba over fakes.")
    doc._.target_request = ["Lyft", "Alibaba"]
    doc = tiny_nlp(doc)
    mentioned = {t.name: t.mentioned for t in doc._.targets}
    assert mentioned == {"Lyft": False, "Alibaba": True}
    assert {s.target for s in doc._.stances} == {"Alibaba"}


def test_targets_come_per_document_without_touching_the_pipeline(tiny_nlp):
    first, second = tiny_nlp.make_doc("Gucci sued Alibaba."), tiny_nlp.make_doc("Kors praised eBay.")
    first._.target_request, second._.target_request = ["Alibaba"], ["eBay"]
    docs = list(tiny_nlp.pipe([first, second]))
    assert [[t.name for t in d._.targets] for d in docs] == [["Alibaba"], ["eBay"]]
    assert tiny_nlp.get_pipe("stance_actors").targets == []


def test_target_field_gives_each_row_its_own_targets(tmp_path, tiny_model):
    rows = tmp_path / "rows.jsonl"
    rows.write_text(json.dumps({"id": "1", "text": "Gucci sued Alibaba.", "targets": ["Alibaba"]}) + "\n"
                    + json.dumps({"id": "2", "text": "Kors praised eBay and Alibaba.", "targets": "eBay"}) + "\n"
                    + json.dumps({"id": "3", "text": "Kors praised eBay.", "targets": 7}) + "\n")
    out = tmp_path / "out.jsonl"
    result = annotate(str(rows), "--out", str(out), "--model", str(tiny_model), "--target-field", "targets")
    assert result.exit_code == 1 and "target field 'targets' must be a list" in result.output
    targets = {r["id"]: [t["name"] for t in r["targets"]] for r in read_jsonl(out)}
    assert targets == {"1": ["Alibaba"], "2": ["eBay"]}


def test_the_format_follows_the_output_suffix_and_a_mismatch_is_refused(folder, tmp_path, tiny_model):
    page = tmp_path / "r.html"
    assert annotate(str(folder), "--out", str(page), "--model", str(tiny_model)).exit_code == 0
    assert page.read_text().lstrip().lower().startswith("<!doctype html")
    mismatch = annotate(str(folder), "--out", str(tmp_path / "r.csv"), "--format", "html")
    assert mismatch.exit_code == 2 and "named like csv" in mismatch.output
    unknown = annotate(str(folder), "--out", str(tmp_path / "r.txt"))
    assert unknown.exit_code == 2 and "Cannot tell the output format" in unknown.output


@pytest.mark.parametrize("option, value", [("--batch-size", "0"), ("--batch-size", "-1"), ("--workers", "0")])
def test_numeric_options_are_checked(folder, tmp_path, option, value):
    result = annotate(str(folder), "--out", str(tmp_path / "o.jsonl"), option, value)
    assert result.exit_code == 2 and f"{option} must be a whole number of at least 1" in result.output


def test_resume_refuses_other_settings_and_force(folder, tmp_path, tiny_model):
    out = tmp_path / "o.jsonl"
    assert annotate(str(folder), "--out", str(out), "--model", str(tiny_model), "-t", "Alibaba").exit_code == 0
    other = annotate(str(folder), "--out", str(out), "--model", str(tiny_model), "-t", "Lyft", "--resume")
    assert other.exit_code == 2 and "settings changed (targets" in other.output
    both = annotate(str(folder), "--out", str(out), "--model", str(tiny_model), "--resume", "--force")
    assert both.exit_code == 2 and "choose one" in both.output
    same = annotate(str(folder), "--out", str(out), "--model", str(tiny_model), "-t", "Alibaba", "--resume")
    assert same.exit_code == 0 and "skipped (already done) 2" in same.output


def test_outputs_inside_the_input_folder_are_never_read_back(folder, tiny_model):
    for out in ("res.csv", "res.jsonl"):
        result = annotate(str(folder), "--out", str(folder / out), "--model", str(tiny_model), "-t", "Alibaba")
        assert result.exit_code == 0, result.output
        assert "annotated 2," in result.output
    assert len(list(read_jsonl(folder / "res.jsonl"))) == 2
    assert not list(folder.glob("*.errors.jsonl"))  # a clean run leaves no errors file


def test_each_output_has_its_own_errors_file(folder, tmp_path, tiny_model):
    (folder / "empty.txt").write_text("")
    for name in ("x.jsonl", "x.csv"):
        assert annotate(str(folder), "--out", str(tmp_path / name), "--model", str(tiny_model)).exit_code == 1
    assert sorted(p.name for p in tmp_path.glob("*.errors.jsonl")) == ["x.csv.errors.jsonl", "x.jsonl.errors.jsonl"]


def test_duplicate_ids_are_reported(tmp_path, tiny_model):
    rows = tmp_path / "rows.jsonl"
    rows.write_text("".join(json.dumps({"id": "same", "text": t}) + "\n" for t in ("Gucci sued Alibaba.", "Kors left.")))
    result = annotate(str(rows), "--out", str(tmp_path / "o.jsonl"), "--model", str(tiny_model))
    assert result.exit_code == 1 and "duplicate id 'same'" in result.output


@pytest.mark.parametrize("name", ["o.csv", "o.html"])
def test_show_explains_a_file_that_is_not_jsonl_output(folder, tmp_path, tiny_model, name):
    out = tmp_path / name
    annotate(str(folder), "--out", str(out), "--model", str(tiny_model))
    result = cli("show", str(out))
    assert result.exit_code == 2 and "is not a JSONL output" in result.output and "Traceback" not in result.output


def test_tag_reads_files_as_annotate_does(tmp_path, tiny_model):
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Gucci sued Alibaba in São Paulo, said the café owner.".encode("latin-1"))
    result = cli("tag", str(latin), "--model", str(tiny_model), "-t", "Alibaba", "--format", "json")
    assert result.exit_code == 0, result.output
    assert "decoded as cp1252 (guessed)" in result.output or "decoded as latin-1 (guessed)" in result.output
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    assert cli("tag", str(empty), "--model", str(tiny_model)).exit_code == 2
    huge = tmp_path / "huge.txt"
    huge.write_text("word " * 1_300_000)
    result = cli("tag", str(huge), "--model", str(tiny_model))
    assert result.exit_code == 2 and "the limit for one article" in result.output
    page = tmp_path / "page.html"
    page.write_text("<html><body><nav>Subscribe Menu</nav><p>Gucci sued Alibaba.</p></body></html>")
    record = json.loads(cli("tag", str(page), "--model", str(tiny_model), "--format", "json").stdout.splitlines()[-1])
    assert "Subscribe" not in json.dumps(record)


def test_latin1_text_is_decoded_as_western_and_random_bytes_are_binary():
    sentence = "The mayor of São Paulo said the café would reopen after the hearing."
    text, note = decode(sentence.encode("latin-1"))
    assert text == sentence and "guessed" in note
    quoted = "“We will appeal,” the company said – and its lawyers agreed on Monday."
    text, note = decode(quoted.encode("cp1252"))
    assert text == quoted and "cp1252" in note
    noise = bytes(b % 255 + 1 for b in random.Random(0).randbytes(4000))  # no NUL bytes
    assert looks_binary(decode(noise)[0])


def test_version_is_printed():
    from stance import __version__

    result = cli("--version")
    assert result.exit_code == 0 and result.output.strip() == f"stance {__version__}"


@pytest.mark.parametrize("text, expected", [
    # a KB alias inside a longer name is not a link to that KB entry
    ("The London Chamber of Commerce and Industry backed the ban on Uber.",
     {"London Chamber of Commerce and Industry"}),
    # a place in an office's title is not an organisation
    ("London Mayor Sadiq Khan backed the regulator's decision on Uber.", {"Sadiq Khan"}),
])
def test_entity_links_need_the_whole_name(actor_nlp, text, expected):
    doc = actor_nlp(text)
    assert {a.name for a in doc._.actors} >= expected
    assert not {"US Chamber of Commerce", "London"} & {a.name for a in doc._.actors}


def test_a_targets_owner_is_affiliated_and_types_follow_the_context(actor_nlp):
    doc = actor_nlp("ByteDance, the owner of TikTok, said it would fight the ban. Morgan Reed, president of "
                    "ACT, defended TikTok. Morningstar analysts said TikTok would survive.")
    actors = {a.name: a for a in doc._.actors}
    assert [t.name for t in doc._.targets] == ["TikTok"]
    assert actors["ByteDance"].affiliated_with == ["TikTok"]
    assert actors["Morgan Reed"].type == "PERSON" and actors["Morningstar"].type == "ORG"


def test_coordinated_names_are_split(actor_nlp):
    from spacy.tokens import Span

    from stance.text.name_rules import split_coordinated

    doc = actor_nlp.make_doc("Bild and Die Welt criticised Google. Marks and Spencer sold shares.")
    assert [s.text for s in split_coordinated(Span(doc, 0, 4, label="ORG"), doc.text)] == ["Bild", "Die Welt"]
    assert [s.text for s in split_coordinated(Span(doc, 7, 10, label="ORG"), doc.text)] == ["Marks and Spencer"]


def test_default_targets_prefer_the_platform_owner_and_keep_a_complainant_as_actor(actor_nlp):
    doc = actor_nlp("Epic Games sued Apple over App Store rules. The App Store takes 30 percent, Apple said. "
                    "Spotify, which filed a complaint with the European Commission, welcomed the ruling.")
    assert [t.name for t in doc._.targets] == ["Apple"]
    assert "Spotify" in {a.name for a in doc._.actors}


def test_classify_serves_any_target_from_one_pipeline(tiny_model):
    import stance
    from stance.api import _cached

    _cached.cache_clear()
    for target in ["Alibaba", "eBay", "Amazon", "Uber", "Lyft", "TikTok", "Apple", "Google", "Meta", "Spotify"]:
        result = stance.classify(f"Gucci sued {target} over fakes.", "Gucci", target, model=str(tiny_model))
        assert result["found"]
    assert _cached.cache_info().misses == 1
    assert _cached(str(tiny_model)).get_pipe("stance_actors").targets == []


@pytest.mark.parametrize("text, product", [
    ("Google said its AI Overviews feature would stay. Publishers criticised Google.", "AI Overviews"),
    ("Epic Games said the game Fortnite would return to the App Store. Fortnite players cheered.", "Fortnite"),
])
def test_products_are_not_actors(actor_nlp, text, product):
    assert product not in {a.name for a in actor_nlp(text)._.actors}


def test_every_command_states_its_exit_codes():
    from stance.cli import app

    result = CliRunner().invoke(app, ["corpus", "stats", "--help"])
    assert "Exit codes" in result.output
    for command in ("tag", "annotate", "merge", "show", "report", "review", "train", "average", "evaluate",
                    "calibrate", "actors-score", "doc-score"):
        assert "Exit codes" in CliRunner().invoke(app, [command, "--help"]).output, command
