import csv
import json
import os
import shutil
import subprocess

import pytest
from typer.testing import CliRunner

from stance.cli import app
from stance.writers import read_jsonl

GOOD = {
    "a.txt": "Veltra fees anger sellers\n\nThe Federation of Independent Sellers sued Veltra on Monday.",
    "b.md": "# Kors quits\n\nMichael Kors left the IACC after Alibaba joined it.",
    "c.html": (
        "<html><head><title>Gucci and Alibaba</title><script>document.title='pwned'</script></head>"
        "<body><p>Gucci sued Alibaba. &lt;script&gt;alert(1)&lt;/script&gt;</p>"
        "<script>document.body.innerHTML='pwned'</script></body></html>"
    ),
}


@pytest.fixture()
def messy_folder(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in GOOD.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "rows.jsonl").write_text(
        json.dumps({"id": "row-1", "text": "Longchamp criticised Alibaba."}) + "\n{broken json\n", encoding="utf-8"
    )
    (folder / "table.csv").write_text("id,text\nr1,LVMH declined to comment on Alibaba.\n", encoding="utf-8")
    (folder / "sub").mkdir()
    (folder / "sub" / "notext.csv").write_text("id,body\n1,hello\n", encoding="utf-8")
    (folder / "empty.txt").write_text("")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02PNG" * 100)
    (folder / "latin1.txt").write_bytes("Kering attaque Alibaba à Paris, déclare le PDG.".encode("cp1252"))
    (folder / "huge.txt").write_text("word " * 3000)
    (folder / ".hidden.txt").write_text("never read")
    (folder / "dangling.txt").symlink_to(folder / "missing-target.txt")
    (folder / "sub" / "loop").symlink_to(folder, target_is_directory=True)
    return folder


def run(args):
    return CliRunner().invoke(app, ["annotate", *args, "--quiet"])


def test_bad_input_never_stops_the_batch(messy_folder, tiny_model, tmp_path, monkeypatch):
    monkeypatch.setattr("stance.io.MAX_FILE_BYTES", 10_000)
    out = messy_folder / "out.jsonl"  # an output inside the input folder is not read back as input
    result = run([str(messy_folder), str(tmp_path / "nope"), "--out", str(out), "--model", str(tiny_model), "-t", "Alibaba"])
    assert result.exit_code == 1, result.output
    ids = [r["id"] for r in read_jsonl(out)]
    assert sorted(ids) == sorted(["a.txt", "b.md", "c.html", "latin1.txt", "row-1", "r1"])
    errors = {(e["path"].split("/")[-1], e["error"].split(":")[0]) for e in read_jsonl(messy_folder / "out.jsonl.errors.jsonl")}
    reasons = " ".join(e["error"] for e in read_jsonl(messy_folder / "out.jsonl.errors.jsonl"))
    for expected in ("empty file", "binary file", "no column 'text'", "not valid JSON", "limit for one article",
                     "cannot read", "symlink loop", "path does not exist"):
        assert expected in reasons, expected
    assert len(errors) == 8
    latin = next(r for r in read_jsonl(out) if r["id"] == "latin1.txt")
    assert "attaque" in latin["text"] and latin["meta"]["encoding_warning"].startswith("not UTF-8")
    html = next(r for r in read_jsonl(out) if r["id"] == "c.html")
    assert "pwned" not in html["text"] and html["text"].startswith("Gucci and Alibaba")


def test_output_is_never_overwritten_without_force(messy_folder, tiny_model, tmp_path):
    out = tmp_path / "o.jsonl"
    out.write_text("keep me\n")
    result = run([str(messy_folder / "a.txt"), "--out", str(out), "--model", str(tiny_model)])
    assert result.exit_code == 2 and "--resume" in result.output
    assert out.read_text() == "keep me\n"


def test_interrupted_run_resumes_without_loss_or_duplicates(messy_folder, tiny_model, tmp_path):
    out = tmp_path / "o.jsonl"
    args = [str(messy_folder / name) for name in GOOD] + ["--out", str(out), "--model", str(tiny_model)]
    assert run(args).exit_code == 0
    complete = out.read_text().splitlines(keepends=True)
    out.write_text(complete[0] + complete[1][: len(complete[1]) // 2])  # killed mid-write
    result = run([*args, "--resume"])
    assert result.exit_code == 0, result.output
    assert "skipped (already done) 1" in result.output
    ids = [r["id"] for r in read_jsonl(out)]
    assert sorted(ids) == sorted(GOOD) and len(ids) == len(set(ids))


def test_csv_rows_agree_with_jsonl(messy_folder, tiny_model, tmp_path):
    files = [str(messy_folder / name) for name in GOOD]
    assert run([*files, "--out", str(tmp_path / "o.jsonl"), "--model", str(tiny_model), "-t", "Alibaba"]).exit_code == 0
    csv_args = [*files, "--out", str(tmp_path / "o.csv"), "-f", "csv", "--model", str(tiny_model), "-t", "Alibaba"]
    assert run(csv_args).exit_code == 0
    from_jsonl = {
        (r["id"], a["name"], s["target"], s["label"])
        for r in read_jsonl(tmp_path / "o.jsonl") for a in r["actors"] for s in a["stances"]
    }
    with open(tmp_path / "o.csv", encoding="utf-8") as source:
        from_csv = {(row["id"], row["actor"], row["target"], row["label"]) for row in csv.DictReader(source)}
    assert from_jsonl and from_jsonl == from_csv


def test_jsonl_records_carry_stances_and_model(messy_folder, tiny_model, tmp_path):
    out = tmp_path / "o.jsonl"
    assert run([str(messy_folder / "b.md"), "--out", str(out), "--model", str(tiny_model), "-t", "Alibaba"]).exit_code == 0
    [record] = read_jsonl(out)
    assert record["model"] == {"name": "tiny", "version": "0.0.0"}
    assert record["sha1"] and record["path"].endswith("b.md")
    stance = record["actors"][0]["stances"][0]
    assert {"target", "label", "score", "scores", "affiliated", "evidence"} <= set(stance)
    evidence = stance["evidence"][0]
    assert record["text"][evidence["start"] : evidence["end"]].strip() == evidence["sentence"]


def test_two_workers_give_the_same_records(messy_folder, tiny_model, tmp_path):
    files = [str(messy_folder / name) for name in GOOD]
    common = ["--model", str(tiny_model), "-t", "Alibaba", "--batch-size", "1"]
    assert run([*files, "--out", str(tmp_path / "one.jsonl"), *common]).exit_code == 0
    assert run([*files, "--out", str(tmp_path / "two.jsonl"), "--workers", "2", *common]).exit_code == 0
    one, two = list(read_jsonl(tmp_path / "one.jsonl")), list(read_jsonl(tmp_path / "two.jsonl"))
    assert [r["id"] for r in one] == [r["id"] for r in two]
    assert [a["stances"] for r in one for a in r["actors"]] == [a["stances"] for r in two for a in r["actors"]]


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_html_page_in_a_headless_browser(messy_folder, tiny_model, tmp_path):
    out = tmp_path / "page.html"
    files = [str(messy_folder / name) for name in GOOD]
    assert run([*files, "--out", str(out), "-f", "html", "--model", str(tiny_model), "-t", "Alibaba"]).exit_code == 0
    dom = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
         "--dump-dom", out.as_uri() + "#doc=c.html"],  # the page opens on that document's text
        capture_output=True, text=True, timeout=120, env={**os.environ, "HOME": str(tmp_path)},
    ).stdout
    assert 'class="actors sortable"' in dom and 'id="stance-list"' in dom
    assert "Gucci" in dom and "Alibaba" in dom
    assert "pwned" not in dom  # no script from an article ran
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom  # markup in article text shows as text
