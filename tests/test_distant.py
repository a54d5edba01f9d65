"""Stance records mined from NewsMTSC: the speaker's view of the person they talk about."""

import json
from collections import Counter

import pytest
from typer.testing import CliRunner

from stance.cli import app
from stance.errors import CorpusError
from stance.training.distant import load_parser, speaker_stances

POLARITY = {"negative": 2.0, "neutral": 4.0, "positive": 6.0}


@pytest.fixture(scope="module")
def parser():
    return load_parser()


def _line(sentence: str, person: str, sentiment: str) -> dict:
    start = sentence.index(person)
    return {"sentence_normalized": sentence,
            "targets": [{"from": start, "to": start + len(person), "mention": person, "polarity": POLARITY[sentiment]}]}


def _write(path, lines):
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return path


def test_the_named_speaker_takes_the_sentiment_toward_the_person_as_stance(parser, tmp_path):
    mtsc = _write(tmp_path / "train.jsonl", [
        _line("Senator Jane Walsh criticized Tom Brody on Tuesday.", "Tom Brody", "negative"),
        _line("Mayor Peter Olsen praised Maria Gomez for her work on the budget.", "Maria Gomez", "positive"),
        _line("Jane Walsh said Tom Brody had met the committee twice.", "Tom Brody", "neutral"),
    ])
    records = speaker_stances([mtsc], parser)
    assert [(r["actor"], r["target"], r["stance"]) for r in records] == [
        ("Jane Walsh", "Tom Brody", "oppose"), ("Peter Olsen", "Maria Gomez", "support"), ("Jane Walsh", "Tom Brody", "neutral"),
    ]
    record = records[0]
    assert record["text"] == "Senator Jane Walsh criticized Tom Brody on Tuesday."
    assert record["meta"]["source"] == "NewsMTSC train.jsonl" and record["actor_type"] == "PERSON"
    assert len({r["id"] for r in records}) == 3


def test_sentences_without_a_named_speaker_are_skipped_and_counted(parser, tmp_path):
    mtsc = _write(tmp_path / "train.jsonl", [
        _line("Tom Brody criticized the new rules on Tuesday.", "Tom Brody", "negative"),  # the person speaks
        _line("She praised Maria Gomez for her work on the budget.", "Maria Gomez", "positive"),  # a pronoun speaks
        _line("Jane Walsh criticized him on Tuesday.", "him", "negative"),  # the person is a pronoun
    ])
    skipped = Counter()
    assert speaker_stances([mtsc], parser, skipped) == []
    assert skipped == Counter({"no speaking verb with a subject above the person": 1,
                               "the speaker is not a named entity": 1, "the person is not a named entity": 1})


def test_a_malformed_line_names_the_file_and_line(parser, tmp_path):
    mtsc = tmp_path / "train.jsonl"
    mtsc.write_text(json.dumps(_line("Jane Walsh criticized Tom Brody.", "Tom Brody", "negative")) + "\n{not json\n")
    with pytest.raises(CorpusError, match="line 2"):
        speaker_stances([mtsc], parser)


def test_cli_writes_records_and_refuses_to_overwrite(tmp_path):
    line = _line("Senator Jane Walsh criticized Tom Brody on Tuesday.", "Tom Brody", "negative")
    mtsc = _write(tmp_path / "train.jsonl", [line])
    out = tmp_path / "records.jsonl"
    runner = CliRunner()
    done = runner.invoke(app, ["corpus", "newsmtsc", str(mtsc), "--out", str(out)])
    assert done.exit_code == 0, done.output
    assert "1 records written" in done.output and "oppose 1" in done.output
    assert json.loads(out.read_text())["actor"] == "Jane Walsh"
    again = runner.invoke(app, ["corpus", "newsmtsc", str(mtsc), "--out", str(out)])
    assert again.exit_code == 2 and "--force" in again.output
    missing = runner.invoke(app, ["corpus", "newsmtsc", str(tmp_path / "nope.jsonl"), "--out", str(tmp_path / "x.jsonl")])
    assert missing.exit_code == 2 and "not a file" in missing.output
