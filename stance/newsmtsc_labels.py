"""Hand-labelled stance pairs on NewsMTSC sentences, joined with the files a user downloads.

The project ships the labels only (``corpora/newsmtsc-stance/labels.jsonl``): each line names a
NewsMTSC sentence by its ``primary_gid`` and release file, and the actor and the target by character
offsets into ``sentence_normalized`` — no sentence text, since the NewsMTSC files themselves stay out
of the repository. :func:`label_records` rebuilds stance records (the corpus format) from them::

    {"id": "allsides_…", "file": "train", "actor": [0, 15], "actor_aliases": [],
     "target": [58, 66], "target_aliases": [], "actor_type": "PERSON", "stance": "oppose"}
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from .errors import CorpusError
from .text.jsonl import numbered_lines
from .types import LABELS

RELEASE_FILES = ("train", "devtest_rw", "devtest_mt")


def read_sentences(folder: str | Path) -> dict[tuple[str, str], str]:
    """``(file, primary_gid)`` → sentence, from the NewsMTSC release files found in ``folder``."""
    folder = Path(folder)
    found = [name for name in RELEASE_FILES if (folder / f"{name}.jsonl").is_file()]
    if not found:
        raise CorpusError(f"No NewsMTSC files in {folder}: expected {', '.join(n + '.jsonl' for n in RELEASE_FILES)} "
                          "as released at github.com/fhamborg/NewsMTSC.")
    sentences = {}
    for name in found:
        for number, row in numbered_lines(folder / f"{name}.jsonl"):
            try:
                sentences[(name, row["primary_gid"])] = row["sentence_normalized"]
            except (KeyError, TypeError):
                raise CorpusError(f"{folder / (name + '.jsonl')}, line {number}: not a NewsMTSC line (a JSON "
                                  'object with "primary_gid" and "sentence_normalized").') from None
    return sentences


def read_labels(path: str | Path) -> list[dict]:
    """The label lines; a malformed one raises an error naming its line."""
    labels = []
    for number, label in numbered_lines(path):
        try:
            ok = (label["stance"] in LABELS and label["file"] in RELEASE_FILES
                  and all(_span_ok(s) for s in [label["actor"], label["target"], *label.get("actor_aliases", []),
                                                *label.get("target_aliases", [])]))
        except (KeyError, TypeError):
            ok = False
        if not ok:
            raise CorpusError(f"{path}, line {number}: expected a label line with id, file ({', '.join(RELEASE_FILES)}), "
                              "actor and target as [start, end] and stance (support, oppose or neutral).")
        labels.append(label)
    return labels


def _span_ok(span: object) -> bool:
    return isinstance(span, list) and len(span) == 2 and all(isinstance(x, int) for x in span) and 0 <= span[0] < span[1]


def label_records(sentences: dict[tuple[str, str], str], labels: list[dict], missing: Counter | None = None) -> list[dict]:
    """Stance records for the labels whose sentence is in ``sentences``; the others are counted in
    ``missing`` by reason (a file not given, or a sentence changed since the labels were made)."""
    records = []
    for label in labels:
        sentence = sentences.get((label["file"], label["id"]))
        if sentence is None:
            if missing is not None:
                missing[f"sentence not in the given files ({label['file']}.jsonl)"] += 1
            continue
        spans = [label["actor"], label["target"], *label.get("actor_aliases", []), *label.get("target_aliases", [])]
        if any(end > len(sentence) for _, end in spans):
            if missing is not None:
                missing["offsets past the sentence's end (another NewsMTSC version?)"] += 1
            continue
        actor, target = _text(sentence, label["actor"]), _text(sentence, label["target"])
        records.append({
            "id": f"newsmtsc-{label['id']}-{label['actor'][0]}-{label['target'][0]}",
            "text": sentence,
            "actor": actor,
            "target": target,
            "stance": label["stance"],
            "actor_type": label.get("actor_type", "PERSON"),
            "actor_aliases": sorted({_text(sentence, s) for s in label.get("actor_aliases", [])} - {actor}),
            "target_aliases": sorted({_text(sentence, s) for s in label.get("target_aliases", [])} - {target}),
            "meta": {"group": f"newsmtsc-{article_of(label['id'])}", "source": "NewsMTSC", "fictional": False,
                     "shape": "sentence"},
        })
    return records


def article_of(gid: str) -> str:
    """The story a NewsMTSC sentence belongs to, so that a split by group keeps it together: AllSides
    ids carry outlet, story and sentence ("allsides_640_258_6_…" → story 258, told by several
    outlets), POLUSA ids the article ("polusa_v1_4528294_…")."""
    parts = gid.split("_")
    return f"allsides_{parts[2]}" if parts[0] == "allsides" else "_".join(parts[:3])


def _text(sentence: str, span: list[int]) -> str:
    return sentence[span[0]:span[1]]
