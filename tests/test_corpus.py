import json
from pathlib import Path

import pytest

from stance.corpus import read_records, split_by_group, stats, validate
from stance.errors import CorpusError

CORPUS = Path(__file__).resolve().parent.parent / "corpora" / "platform-stance"


def test_shipped_corpus_validates():
    report = validate(CORPUS)
    assert report.ok, report.problems[:10]


def test_shipped_corpus_meets_its_data_card_numbers():
    table = stats(CORPUS)
    assert table["all"]["records"] >= 3000
    assert table["train"]["records"] >= 2200 and table["dev"]["records"] >= 300 and table["test"]["records"] >= 500
    assert table["all"]["targets"] >= 40 and table["all"]["actors"] >= 500
    for split in ("train", "dev", "test"):
        assert min(table[split]["label_share"].values()) >= 0.25
    assert table["all"]["multi_sentence_share"] >= 0.35
    assert min(table["all"]["phenomena"].values()) >= 60
    assert table["test"]["unseen_targets"] >= 10 and table["test"]["unseen_actors"] >= 100
    assert table["all"]["augmented"] <= 0.15 * table["all"]["records"]


def test_shipped_articles_are_long_and_fully_labelled():
    articles = [json.loads(line) for path in sorted((CORPUS / "articles").glob("*.jsonl")) for line in path.open()]
    assert len(articles) >= 60
    for article in articles:
        assert len(article["text"].split()) >= 300
        targets = {t["name"] for t in article["targets"]}
        for actor in article["actors"]:
            assert set(actor["stances"]) == targets, (article["id"], actor["name"])
            assert all(m in article["text"] for m in actor["mentions"])


def write(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def record(i, text, group, **extra):
    return {"id": str(i), "text": text, "actor": "Gucci", "target": "Veltra", "stance": "oppose",
            "meta": {"group": group}, **extra}


def test_validate_flags_missing_mentions_duplicates_and_leaks(tmp_path):
    leak = "Gucci said on Monday that it would never again sell its bags on Veltra."
    write(tmp_path / "train.jsonl", [record(1, leak, "g1"), record(2, leak, "g1")])
    write(tmp_path / "dev.jsonl", [record(3, "Prada criticised Veltra.", "g2")])
    write(tmp_path / "test.jsonl", [record(4, "Fans agree: " + leak, "g3")])
    problems = "\n".join(validate(tmp_path).problems)
    assert "duplicate (text, actor, target)" in problems
    assert "actor (or an alias) not in text" in problems
    assert "test:4 shares" in problems and "with train:1" in problems


@pytest.mark.parametrize(
    "line, message",
    [
        ("{oops", "not valid JSON"),
        ('{"id": "1", "text": "x", "actor": "A", "target": "B", "stance": "angry"}', "stance is 'angry'"),
        ('{"id": "1", "text": "x", "actor": "A", "stance": "oppose"}', "missing or empty target"),
    ],
)
def test_malformed_records_name_the_line(tmp_path, line, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(line + "\n")
    with pytest.raises(CorpusError, match=message):
        read_records(path)


def test_split_keeps_groups_together_and_held_out_targets_in_test(tmp_path):
    records = [record(i, f"Gucci text {i} about Veltra.", f"g{i % 20}") for i in range(200)]
    records.append({**record(999, "Gucci left Marketvale.", "held"), "target": "Marketvale"})
    splits = split_by_group(records, held_out_targets=["Marketvale"])
    groups = {split: {r["meta"]["group"] for r in rows} for split, rows in splits.items()}
    assert not groups["train"] & groups["dev"] and not groups["train"] & groups["test"]
    assert "held" in groups["test"]
    assert sum(len(rows) for rows in splits.values()) == len(records)


def test_the_wikinews_gold_is_valid_and_split_by_article():
    from stance.articles import read_articles, split_of

    assert validate(CORPUS.parent / "wikinews-stance").ok
    for split in ("train", "dev", "test"):
        articles = read_articles(CORPUS.parent / "wikinews-stance" / "articles" / f"{split}.jsonl")
        assert articles and all(split_of(a["id"]) == split for a in articles)
        assert all(a["licence"] and a["url"].startswith("https://en.wikinews.org/") for a in articles)
