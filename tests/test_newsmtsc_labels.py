"""The NewsMTSC label file joined with the release files a user downloads."""

import json
from collections import Counter

import pytest
from typer.testing import CliRunner

from stance.cli import app
from stance.errors import CorpusError
from stance.newsmtsc_labels import label_records, read_labels, read_sentences

SENTENCE = "Schumer blasted President Trump, and Trump fired back at Schumer."


@pytest.fixture()
def release(tmp_path):
    folder = tmp_path / "newsmtsc"
    folder.mkdir()
    row = {"primary_gid": "g1", "sentence_normalized": SENTENCE, "targets": []}
    (folder / "train.jsonl").write_text(json.dumps(row) + "\n")
    return folder


def label(**changes):
    base = {"id": "g1", "file": "train", "actor": [0, 7], "actor_aliases": [[57, 64]], "target": [16, 31],
            "target_aliases": [[37, 42]], "actor_type": "PERSON", "stance": "oppose"}
    return {**base, **changes}


def test_labels_become_stance_records_with_the_sentence(release, tmp_path):
    [record] = label_records(read_sentences(release), [label()])
    assert (record["actor"], record["target"], record["stance"]) == ("Schumer", "President Trump", "oppose")
    assert record["text"] == SENTENCE and record["target_aliases"] == ["Trump"] and record["actor_aliases"] == []


def test_labels_whose_sentence_is_missing_or_changed_are_counted(release):
    missing = Counter()
    records = label_records(read_sentences(release), [label(file="devtest_rw"), label(target=[16, 400])], missing)
    assert records == [] and sum(missing.values()) == 2


def test_a_malformed_label_line_is_named(tmp_path):
    path = tmp_path / "labels.jsonl"
    path.write_text(json.dumps(label(stance="likes")) + "\n")
    with pytest.raises(CorpusError, match="line 1: expected a label line"):
        read_labels(path)


def test_a_folder_without_release_files_is_refused(tmp_path):
    with pytest.raises(CorpusError, match="No NewsMTSC files"):
        read_sentences(tmp_path)


def test_the_command_writes_records(release, tmp_path):
    labels = tmp_path / "labels.jsonl"
    labels.write_text(json.dumps(label()) + "\n" + json.dumps(label(file="devtest_mt")) + "\n")
    out = tmp_path / "records.jsonl"
    result = CliRunner().invoke(app, ["corpus", "newsmtsc-labels", str(release), str(labels), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "1 records written" in result.output and "left out 1" in result.output
