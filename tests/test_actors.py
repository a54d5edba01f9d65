import json

import pytest

import stance
from stance.api import make_doc


@pytest.fixture(scope="module")
def sample_doc(actor_nlp, sample_text):
    actor_nlp.get_pipe("stance_actors").targets = []
    return actor_nlp(sample_text)


def actors_by_name(doc):
    return {actor.name: actor for actor in doc._.actors}


def test_sample_target_is_alibaba_with_its_platforms_folded_in(sample_doc):
    assert [t.name for t in sample_doc._.targets] == ["Alibaba"]
    target_mentions = {span.text for span in sample_doc.spans["targets"]}
    assert {"Alibaba", "Alibaba.com", "Alibaba Group", "Taobao", "Tmall Mall"} <= target_mentions
    names = actors_by_name(sample_doc)
    assert not {"Alibaba", "Alibaba.com", "Alibaba Group", "Taobao", "Tmall"} & set(names)


def test_sample_actors(sample_doc):
    names = actors_by_name(sample_doc)
    expected = {
        "Michael Kors", "Lee Sporn", "Gucci", "Kering", "Yves Saint Laurent", "Longchamp",
        "Louis Vuitton", "LVMH", "Jack Ma", "IACC", "Barbara Kolsun",
    }
    assert expected <= set(names)
    assert {"Kaiyun Group", "Gwangju Group"} <= set(names["Kering"].mentions)
    assert names["Jack Ma"].affiliated and "Ma Yun" in names["Jack Ma"].mentions
    assert names["Gucci"].parent == "Kering" and not names["Gucci"].affiliated
    assert names["Louis Vuitton"].parent == "LVMH"


def test_no_actor_span_crosses_the_title_line(sample_doc):
    title_end = sample_doc.text.index("\n")
    for span in list(sample_doc.spans["actors"]) + list(sample_doc.spans["targets"]):
        assert not (span.start_char < title_end < span.end_char)
        assert "\n" not in span.text


def test_last_names_acronyms_and_possessives_resolve(actor_nlp):
    actor_nlp.get_pipe("stance_actors").targets = ["Veltra"]
    doc = actor_nlp(
        "The Federation of Independent Sellers (FIS) said on Monday it would sue Veltra. "
        "Its president, Marta Okonkwo-Berg, called the fees unfair. Okonkwo-Berg added that the FIS had "
        "written to regulators. Kaiyun Group's lawyers, acting for Gucci, declined to comment."
    )
    names = actors_by_name(doc)
    fis = next(a for a in doc._.actors if "FIS" in a.mentions)
    assert fis.name == "Federation of Independent Sellers"
    assert "Okonkwo-Berg" in names["Marta Okonkwo-Berg"].mentions
    assert "Kaiyun Group" in names["Kering"].mentions
    assert "Gucci" in names and names["Gucci"].parent == "Kering"
    assert "Veltra" not in names and [t.name for t in doc._.targets] == ["Veltra"]


def test_caller_target_aliases_and_staff_are_affiliated(actor_nlp):
    actor_nlp.get_pipe("stance_actors").targets = ["Veltra=Veltra Express"]
    doc = actor_nlp("Veltra spokeswoman Ana Ruiz defended Veltra Express. Critics at Lumen Watch disagreed.")
    names = actors_by_name(doc)
    assert "Veltra Express" in {span.text for span in doc.spans["targets"]}
    assert names["Ana Ruiz"].affiliated
    assert not names["Lumen Watch"].affiliated


def test_tag_json_record_shape(tmp_path):
    from typer.testing import CliRunner

    from stance.cli import app

    path = tmp_path / "a.txt"
    path.write_text("Gucci sued Alibaba over fakes on Taobao.")
    result = CliRunner().invoke(app, ["tag", str(path), "--format", "json", "--target", "Alibaba"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.output.strip().splitlines()[-1])
    assert record["targets"][0]["name"] == "Alibaba"
    assert set(record["targets"][0]["mentions"]) == {"Alibaba", "Taobao"}
    actor = record["actors"][0]
    assert {"name", "type", "kind", "parent", "affiliated", "mentions", "stances"} <= set(actor)
    assert actor["name"] == "Gucci"


def test_tag_cli_rejects_missing_file_and_bad_format(tmp_path):
    from typer.testing import CliRunner

    from stance.cli import app

    runner = CliRunner()
    missing = runner.invoke(app, ["tag", str(tmp_path / "nope.txt")])
    assert missing.exit_code == 2 and "cannot read" in missing.output
    bad = runner.invoke(app, ["tag", "-", "--format", "xml"], input="Gucci sued Alibaba.")
    assert bad.exit_code == 2 and "table or json" in bad.output


def test_public_api_is_small():
    assert set(stance.__all__) == {
        "Actor", "ActorStance", "Evidence", "Target", "__version__", "classify", "install_extensions", "load", "tag",
        "to_dataframe",
    }


def test_known_actors_are_found_where_ner_misses_them(actor_nlp):
    resolver = actor_nlp.get_pipe("stance_actors")
    resolver.targets = ["Marsh & McLennan=Marsh"]
    text = "Rating agency Moody's cut Marsh's debt rating on Friday, and so did Fitch."
    names = actors_by_name(actor_nlp(make_doc(actor_nlp, text, actors=[{"name": "Moody's", "type": "ORG"}, "Fitch"])))
    assert {"Moody's", "Fitch"} <= set(names)


def test_known_person_called_only_by_last_name_is_found(actor_nlp):
    resolver = actor_nlp.get_pipe("stance_actors")
    resolver.targets = ["Donald Trump"]
    text = "Pelosi said the House would vote on Thursday. Trump called the vote a hoax, and Pelosi did not answer."
    names = actors_by_name(actor_nlp(make_doc(actor_nlp, text, actors=[{"name": "Nancy Pelosi", "type": "PERSON"}])))
    assert names["Nancy Pelosi"].mentions == ["Pelosi"]


def test_ranks_and_party_labels_are_not_part_of_a_persons_name(actor_nlp):
    actor_nlp.get_pipe("stance_actors").targets = ["Donald Trump"]
    text = (
        "Speaker Nancy Pelosi met Colonel Alexander Vindman on Monday. "
        "Democrat Hillary Clinton praised the Republican National Committee for once."
    )
    names = set(actors_by_name(actor_nlp(text)))
    assert {"Nancy Pelosi", "Alexander Vindman", "Hillary Clinton"} <= names
    assert not {"Speaker Nancy Pelosi", "Colonel Alexander Vindman", "Democrat Hillary Clinton"} & names


def test_short_given_names_and_middle_initials_join_the_full_name(actor_nlp):
    actor_nlp.get_pipe("stance_actors").targets = ["Veltra"]
    text = (
        "Gregory B. Craig, a former White House counsel, defended Veltra in court on Monday. "
        "Greg Craig said the case was weak, and Gregory Craig's firm billed for it. "
        "Eric Craigson and Edwina Craig did not comment."
    )
    names = actors_by_name(actor_nlp(text))
    assert {"Greg Craig", "Gregory Craig"} <= set(names["Gregory B. Craig"].mentions)
    assert {"Eric Craigson", "Edwina Craig"} <= set(names)  # another given name: another person
    assert not {"Greg Craig", "Gregory Craig"} & set(names)


def test_table_shows_rule_decided_stances_as_rule_not_as_a_score():
    from stance.writers import format_record

    stance_row = {"target": "Veltra", "label": "support", "score": 0.02, "decided_by": "affiliation",
                  "scores": {"support": 0.02, "oppose": 0.08, "neutral": 0.9}}
    record = {"targets": [{"name": "Veltra"}], "actors": [
        {"name": "Ana Ruiz", "type": "PERSON", "affiliated": True, "parent": None, "stances": [stance_row]},
        {"name": "Lumen", "type": "ORG", "affiliated": False, "parent": None,
         "stances": [{**stance_row, "label": "oppose", "score": 0.97, "decided_by": "model"}]},
    ]}
    ruiz, lumen = format_record(record).splitlines()[3:]
    assert "support    rule  affiliated (the model alone: neutral 0.90)" in ruiz
    assert "oppose     0.97" in lumen
