"""Finding the pipeline actor that a user's or a gold record's name refers to."""

import pytest

from stance.text.actor_match import acronym, match_actor, name_key
from stance.types import Actor


def actor(name: str, *mentions: str) -> Actor:
    return Actor(name=name, type="PERSON", mentions=[name, *mentions])


@pytest.mark.parametrize(
    ("given", "in_article"),
    [
        ("rick tyler", "Rick Tyler"),
        ("Gregory B. Craig", "Gregory Craig"),
        ("Ed O'Callaghan", "Ed O’Callaghan"),
        ("Supreme Court of the United States", "US Supreme Court"),
        ("United States Senate", "U.S. Senate"),
        ("The Guardian", "Guardian"),
    ],
)
def test_name_key_ignores_case_initials_apostrophes_and_national_prefix(given, in_article):
    assert name_key(given) == name_key(in_article)


def test_name_key_keeps_different_names_apart():
    assert name_key("Eric Trump") != name_key("Donald Trump")
    assert name_key("K.T. McFarland") == "k.t. mcfarland"  # joined initials are a name, not a middle initial


def test_acronym_needs_three_content_words():
    assert acronym("Federal Bureau of Investigation") == "FBI"
    assert acronym("Republican Party") is None


def test_match_prefers_the_exact_name_then_the_normalised_one():
    actors = [actor("Farah Melendez"), actor("Democratic Party")]
    assert match_actor(actors, "farah melendez").name == "Farah Melendez"
    assert match_actor(actors, "Democratic Party").name == "Democratic Party"


def test_match_by_acronym():
    actors = [Actor("FBI", "ORG", mentions=["FBI"]), actor("James Comey")]
    assert match_actor(actors, "Federal Bureau of Investigation").name == "FBI"


def test_match_by_last_name_skips_people_with_another_given_name():
    actors = [actor("Trump"), actor("Eric Trump"), actor("Speaker Nancy Pelosi", "Pelosi")]
    assert match_actor(actors, "Donald Trump").name == "Trump"
    assert match_actor(actors, "Nancy Pelosi").name == "Speaker Nancy Pelosi"


def test_no_match_when_absent_or_ambiguous():
    actors = [actor("Jill McCabe"), actor("Andrew McCabe"), actor("Lou")]
    assert match_actor(actors, "Lou D'Allesandro") is None
    assert match_actor(actors, "McCabe") is None  # two people of that name: no guess
    assert match_actor([], "Anyone") is None
