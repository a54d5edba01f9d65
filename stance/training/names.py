"""Invented names for name swapping in training, so the model reads context rather than names."""

from __future__ import annotations

import random
import re

FIRST = (
    "Ada Bruno Chen Dara Elif Farid Greta Hana Ivo Jonas Kemi Lars Mira Nadia Omar Priya Quentin Rosa "
    "Sven Tariq Uma Viktor Wen Ximena Yusuf Zofia Aiko Bram Carmen Dmitri Esther Felipe Ines Kwame"
).split()
LAST = (
    "Adeyemi Brandt Castellano Duarte Eklund Fontaine Gruber Haddad Ishikawa Jankowski Kowalczyk Lindqvist "
    "Moreau Nakamura Okafor Petrov Quiroga Rahman Santoro Takahashi Umarov Varga Whitfield Xu Yilmaz Zeller"
).split()
ORG_HEAD = (
    "Arden Bellmark Corvina Dunmore Everly Falkner Granite Harlow Ironleaf Juniper Kessler Larkspur Meridian "
    "Northgate Oakridge Pinecrest Quarry Redfern Silverline Thornbury Umbra Valemont Westbrook Yarrow Zenith"
).split()
ORG_TAIL = "Group Holdings Partners Labs Foods Apparel Capital Media Alliance Association Council Union Motors".split()
PLATFORM = (
    "Trovio Marketly Zentro Pivvo Snapmart Qwikly Brisa Nuvola Kartex Lumo Fliqo Dashly Rovaro Vendra "
    "Socialo Streamix Tunely Cabbit Roamly Payzo Cloudra Hostiva Searchly Filezy"
).split()


def invented_name(kind: str, rng: random.Random) -> str:
    if kind == "PERSON":
        return f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    if kind == "TARGET":
        return rng.choice(PLATFORM)
    return f"{rng.choice(ORG_HEAD)} {rng.choice(ORG_TAIL)}"


def swap_names(record: dict, rng: random.Random) -> dict:
    """A copy of a stance record with the actor and the target renamed everywhere in the text."""
    text = record["text"]
    actor_kind = record.get("actor_type", "ORG")
    new_actor = invented_name(actor_kind, rng)
    new_target = invented_name("TARGET", rng)
    while new_target in text or new_actor in text:
        new_actor, new_target = invented_name(actor_kind, rng), invented_name("TARGET", rng)
    short_actor = new_actor.split()[-1] if actor_kind == "PERSON" else new_actor
    replacements = {record["target"]: new_target, **{a: new_target for a in record.get("target_aliases", [])}}
    replacements[record["actor"]] = new_actor
    replacements.update({a: short_actor for a in record.get("actor_aliases", [])})
    return {
        **record,
        "text": replace_names(text, replacements),
        "actor": new_actor,
        "actor_aliases": [short_actor] if short_actor != new_actor else [],
        "target": new_target,
        "target_aliases": [],
    }


def replace_names(text: str, replacements: dict[str, str]) -> str:
    """``text`` with every whole-word occurrence of each key replaced by its value, longest key first."""
    for old in sorted(replacements, key=len, reverse=True):
        if old:
            text = re.sub(rf"(?<!\w){re.escape(old)}(?!\w)", replacements[old], text)
    return text
