"""Whole-article gold: validation, the stable split, records and training packs, agreement."""

import json

import pytest

from stance.annotation import agreement, gold_article
from stance.articles import article_packs, article_problems, article_records, read_articles, split_of, validate_articles
from stance.corpus import validate
from stance.errors import CorpusError

TEXT = ("Regulators fine Veltra\n\nThe Trade Authority fined Veltra on Monday. "
        "Its chair, Ana Ruiz, said the marketplace had ignored warnings. "
        "The Sellers Union opposed the fine. Veltra spokesman Ben Ode said it would appeal. "
        "Reuters reported the decision.")


def article(**changes) -> dict:
    def actor(name, mentions, label, evidence, **extra):
        start = TEXT.index(evidence)
        return {"name": name, "type": extra.get("type", "ORG"), "mentions": mentions, "parent": None,
                "affiliated_with": extra.get("affiliated_with"), "stances": {"Veltra": label},
                "evidence": {"Veltra": [start, start + len(evidence)]}}

    base = {
        "id": "wn-1", "text": TEXT, "targets": [{"name": "Veltra", "aliases": []}],
        "actors": [
            actor("Trade Authority", ["Trade Authority"], "oppose", "The Trade Authority fined Veltra on Monday."),
            actor("Ana Ruiz", ["Ana Ruiz"], "oppose", "Its chair, Ana Ruiz, said", type="PERSON"),
            actor("Sellers Union", ["Sellers Union"], "support", "The Sellers Union opposed the fine."),
            actor("Ben Ode", ["Ben Ode"], "support", "Veltra spokesman Ben Ode said it would appeal.",
                  type="PERSON", affiliated_with="Veltra"),
            actor("Reuters", ["Reuters"], "neutral", "Reuters reported the decision."),
        ],
    }
    return {**base, **changes}


def write_split(folder, articles_by_split):
    (folder / "articles").mkdir(parents=True)
    for split in ("train", "dev", "test"):
        rows = articles_by_split.get(split, [])
        (folder / "articles" / f"{split}.jsonl").write_text("".join(json.dumps(a) + "\n" for a in rows))


def test_a_valid_article_has_no_problems():
    assert article_problems(article()) == []


@pytest.mark.parametrize("change, problem", [
    ({"targets": []}, "no targets"),
    ({"targets": [{"name": "Lyft", "aliases": []}]}, "target 'Lyft'"),
])
def test_bad_targets_are_named(change, problem):
    assert any(problem in p for p in article_problems(article(**change)))


def test_bad_actors_are_named():
    bad = article()
    bad["actors"][0]["mentions"] = ["Trade Office"]
    bad["actors"][1]["stances"] = {"Veltra": "likes"}
    bad["actors"][2]["stances"] = {}
    bad["actors"][3]["affiliated_with"] = "Lyft"
    problems = " | ".join(article_problems(bad))
    for expected in ("'Trade Office'", "'likes'", "needs one stance toward each of ['Veltra']", "'Lyft' is not a target"):
        assert expected in problems


def test_the_split_is_stable_and_roughly_60_20_20():
    ids = [f"article-{i}" for i in range(2000)]
    splits = [split_of(i) for i in ids]
    assert splits == [split_of(i) for i in ids]
    share = {s: splits.count(s) / len(ids) for s in ("train", "dev", "test")}
    assert 0.55 < share["train"] < 0.65 and 0.15 < share["dev"] < 0.25 and 0.15 < share["test"] < 0.25


def test_corpus_validate_reads_an_articles_only_folder(tmp_path):
    write_split(tmp_path, {"train": [article()], "dev": [article(id="wn-2", text=TEXT + " More.")]})
    assert validate(tmp_path).ok
    duplicate = tmp_path / "again"
    write_split(duplicate, {"train": [article()], "test": [article()]})
    assert any("id also in articles/train" in p for p in validate(duplicate).problems)


def test_an_articles_folder_without_its_splits_is_refused(tmp_path):
    (tmp_path / "articles").mkdir()
    with pytest.raises(CorpusError, match="lacks train.jsonl"):
        validate_articles(tmp_path / "articles")


def test_a_malformed_article_line_is_named(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"id": "x"}\n')
    with pytest.raises(CorpusError, match="line 1: a gold article needs id, text, targets and actors"):
        read_articles(path)


def test_records_carry_the_deciding_passage_naming_both_parties():
    records = {r["actor"]: r for r in article_records([article()])}
    assert len(records) == 5
    union = records["Sellers Union"]
    assert union["stance"] == "support" and union["target"] == "Veltra"
    assert "Sellers Union opposed the fine" in union["text"] and "Veltra" in union["text"]
    assert records["Ben Ode"]["meta"]["affiliated"] is True
    assert records["Ana Ruiz"]["meta"]["group"] == "wn-1"
    assert all(not r["meta"].get("pronoun_only") for r in records.values())


def test_packs_label_every_actor_toward_each_target():
    [pack] = article_packs([article()])
    assert pack["target"] == "Veltra"
    assert {a["names"][0]: a["stance"] for a in pack["actors"]} == {
        "Trade Authority": "oppose", "Ana Ruiz": "oppose", "Sellers Union": "support", "Ben Ode": "support",
        "Reuters": "neutral"}


def test_gold_article_turns_evidence_sentences_into_spans():
    labels = {"id": "wn-1", "targets": [{"name": "Veltra"}], "actors": [
        {"name": "Sellers Union", "type": "ORG", "mentions": ["Sellers Union"], "stances": {"Veltra": "support"},
         "evidence": {"Veltra": "The Sellers Union opposed the fine."}}]}
    gold = gold_article({"id": "wn-1", "text": TEXT, "url": "u", "licence": "CC BY 2.5"}, labels)
    start, end = gold["actors"][0]["evidence"]["Veltra"]
    assert TEXT[start:end] == "The Sellers Union opposed the fine." and gold["licence"] == "CC BY 2.5"
    assert article_problems(gold) == []


def test_agreement_counts_actor_lists_and_kappa():
    first = {"wn-1": {"targets": [{"name": "Veltra"}], "actors": [
        {"name": "A", "mentions": ["A"], "stances": {"Veltra": "oppose"}},
        {"name": "B", "mentions": ["B"], "stances": {"Veltra": "support"}},
        {"name": "C", "mentions": ["C"], "stances": {"Veltra": "neutral"}}]},
        "wn-2": {"skip": "weather", "targets": [], "actors": []}}
    second = {"wn-1": {"targets": [{"name": "Veltra Inc", "aliases": ["Veltra"]}], "actors": [
        {"name": "A", "mentions": ["A"], "stances": {"Veltra Inc": "oppose"}},
        {"name": "Bee", "mentions": ["B"], "stances": {"Veltra Inc": "neutral"}}]},
        "wn-2": {"skip": "weather", "targets": [], "actors": []}}
    report = agreement(first, second)
    assert report["skipped_by_both"] == 1 and report["actors_matched"] == 2
    assert report["actor_list_f1"] == pytest.approx(0.8)
    assert report["pairs_both"] == 2 and report["stance_agreement"] == 0.5
    assert report["confusion"]["matrix"][0][2] == 1  # first said support, second neutral


def test_corpus_records_command_writes_records_and_refuses_to_overwrite(tmp_path):
    from typer.testing import CliRunner

    from stance.cli import app

    source = tmp_path / "articles.jsonl"
    source.write_text(json.dumps(article()) + "\n")
    out = tmp_path / "records.jsonl"
    result = CliRunner().invoke(app, ["corpus", "records", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "5 records written" in result.output and len(out.read_text().splitlines()) == 5
    again = CliRunner().invoke(app, ["corpus", "records", str(source), "--out", str(out)])
    assert again.exit_code == 2 and "pass --force" in again.output
