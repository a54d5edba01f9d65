"""stance report: dates, the page (in a real headless Chromium), the terminal summary, data frames and Parquet."""

import json
import os
import re
import select
import shutil
import subprocess
import time

import pytest
from typer.testing import CliRunner

from stance.cli import app
from stance.io import Fields, read_path
from stance.results import load_results
from stance.text.dates import parse_date

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
XSS = "<img src=x onerror=\"document.title='pwned'\"></script><script>document.title='pwned'</script>"


def record(doc_id, sentences, stances, date=None, targets=("Veltra",)):
    """An annotate record built by hand: stances are (actor, type, target, label, score, sentence, extra)."""
    text, starts = "", []
    for sentence in sentences:
        starts.append(len(text))
        text += sentence + " "
    actors = {}
    for name, kind, target, label, score, index, extra in stances:
        actor = actors.setdefault(name, {
            "name": name, "type": kind, "kind": None, "parent": None, "affiliated": bool(extra.get("affiliated")),
            "affiliated_with": [target] if extra.get("affiliated") else [], "mentions": [],
            "spans": [[m.start(), m.end()] for m in re.finditer(re.escape(name), text)], "stances": []})
        scores = extra.get("scores") or {k: (score if k == label else round((1 - score) / 2, 4)) for k in
                                          ("support", "oppose", "neutral")}
        actor["stances"].append({
            "target": target, "label": label, "score": score, "scores": scores, "affiliated": bool(extra.get("affiliated")),
            "evidence": [{"sentence": sentences[index], "start": starts[index], "end": starts[index] + len(sentences[index])}],
            "decided_by": extra.get("decided_by", "model")})
    return {"id": doc_id, "targets": [{"name": t, "mentioned": True, "mentions": [t]} for t in targets],
            "actors": list(actors.values()), "path": f"in/{doc_id}", "sha1": "0" * 40,
            "model": {"name": "stance-minilm", "version": "0.1.0"}, "meta": {"date": date} if date else {}, "text": text}


RECORDS = [
    record("doc-1.txt", ["The Federation of Independent Sellers sued Veltra on Monday.",
                         "Ana Ruiz, a spokeswoman, said Veltra would keep its fees."],
           [("Federation of Independent Sellers", "ORG", "Veltra", "oppose", 0.9, 0, {}),
            ("Ana Ruiz", "PERSON", "Veltra", "support", 0.12, 1,
             {"decided_by": "affiliation", "affiliated": True, "scores": {"support": 0.12, "oppose": 0.2, "neutral": 0.68}})],
           date="2019-05-14"),
    record("doc-2.txt", ["🚀 Kestrel Pay praised Veltra for its checkout.",
                         "Lumora Market called Kestrel Pay a risk to shoppers.",
                         "The Federation of Independent Sellers repeated its complaint about Veltra."],
           [("Kestrel Pay", "ORG", "Veltra", "support", 0.77, 0, {}),
            ("Lumora Market", "ORG", "Kestrel Pay", "oppose", 0.64, 1, {}),
            ("Federation of Independent Sellers", "ORG", "Veltra", "oppose", 0.8, 2, {})],
           date="2019-07-02T10:00:00+02:00", targets=("Veltra", "Kestrel Pay")),
    record("doc-3.txt", [f"Sellers United said {XSS} Veltra is unfair, maybe."],
           [("Sellers United", "ORG", "Veltra", "neutral", 0.55, 0, {})]),
]
ERRORS = [{"id": "broken.txt", "path": "in/broken.txt", "error": "binary file (contains NUL bytes); expected text"}]
N_STANCES = 6


@pytest.fixture()
def results(tmp_path):
    path = tmp_path / "results.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS), encoding="utf-8")
    (tmp_path / "results.jsonl.errors.jsonl").write_text(json.dumps(ERRORS[0]) + "\n", encoding="utf-8")
    (tmp_path / "results.jsonl.run.json").write_text(json.dumps(
        {"targets": ["Veltra"], "kb": [], "model": None, "text_field": "text", "id_field": "id", "target_field": None,
         "date_field": "date", "include_text": True, "format": "jsonl", "run_at": "2024-03-01T09:00:00+00:00"}))
    return path


def report(*args):
    return CliRunner().invoke(app, ["report", *map(str, args)])


# dates -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("value", "expected"), [
    ("2019-05-14", "2019-05-14"), ("2019-05-14T08:30:00Z", "2019-05-14T08:30:00+00:00"),
    ("2019-05-14 08:30", "2019-05-14T08:30:00"), ("14 May 2019", "2019-05-14"), ("May 14th, 2019", "2019-05-14"),
    ("Tue, 14 May 2019 08:30:00 +0200", "2019-05-14T08:30:00+02:00"), (1557822600, "2019-05-14T08:30:00+00:00"),
    ("05/06/2019", None), ("soon", None), ("", None), (2019, None), (None, None),
])
def test_dates_are_read_in_unambiguous_forms_only(value, expected):
    assert parse_date(value) == expected


def test_dates_from_jsonl_and_csv_fields(tmp_path):
    rows = tmp_path / "rows.jsonl"
    rows.write_text("\n".join(json.dumps(r) for r in [
        {"id": "a", "text": "Gucci sued Alibaba.", "published": "2019-05-14"},
        {"id": "b", "text": "Gucci sued Alibaba.", "published": "05/06/2019"},
        {"id": "c", "text": "Gucci sued Alibaba."}]) + "\n")
    docs = {d.id: d for d in read_path(rows, fields=Fields(date="published"))}
    assert docs["a"].meta == {"date": "2019-05-14"}
    assert "date" not in docs["b"].meta and "ambiguous" in docs["b"].meta["date_warning"]
    assert docs["c"].meta == {}  # undated is fine
    table = tmp_path / "table.csv"
    table.write_text('id,text,date\nr1,LVMH declined to comment.,"May 14, 2019"\nr2,Kering too.,\n')
    assert [d.meta.get("date") for d in read_path(table)] == ["2019-05-14", None]


def test_dates_from_html_meta_and_markdown_front_matter(tmp_path):
    page = tmp_path / "a.html"
    page.write_text('<html><head><title>Gucci sues</title><meta property="article:published_time" '
                    'content="2019-05-14T08:30:00+02:00"></head><body><p>Gucci sued Alibaba.</p></body></html>')
    [doc] = read_path(page)
    assert doc.meta["date"] == "2019-05-14T08:30:00+02:00" and doc.text.startswith("Gucci sues")
    ld = tmp_path / "b.html"
    ld.write_text('<html><head><script type="application/ld+json">{"@type": "NewsArticle", "datePublished": '
                  '"2020-01-02"}</script></head><body><p>Kering spoke.</p></body></html>')
    assert next(read_path(ld)).meta["date"] == "2020-01-02"
    note = tmp_path / "c.md"
    note.write_text('---\ntitle: "Kors quits"\ndate: 2019-06-01\ntags: [a, b]\n---\nMichael Kors left the IACC.\n')
    [doc] = read_path(note)
    assert doc.meta == {"date": "2019-06-01"}
    assert doc.text.startswith("Kors quits") and "date:" not in doc.text and "---" not in doc.text


def test_annotate_keeps_the_date_field(tmp_path, tiny_model):
    rows = tmp_path / "rows.jsonl"
    rows.write_text(json.dumps({"id": "a", "text": "Gucci sued Alibaba.", "when": "2019-05-14"}) + "\n"
                    + json.dumps({"id": "b", "text": "Kering praised Alibaba."}) + "\n")
    out = tmp_path / "o.jsonl"
    result = CliRunner().invoke(app, ["annotate", str(rows), "--out", str(out), "--model", str(tiny_model),
                                      "-t", "Alibaba", "--date-field", "when", "--quiet"])
    assert result.exit_code == 0, result.output
    assert [r["meta"].get("date") for r in load_results(out).records] == ["2019-05-14", None]


# data frames and Parquet -------------------------------------------------------------------------
def test_to_dataframe_has_one_row_per_stance(results):
    import stance

    frame = stance.to_dataframe(results)
    assert len(frame) == N_STANCES == len(stance.to_dataframe(RECORDS))
    for column in ("doc_id", "date", "actor", "actor_type", "target", "label", "score", "affiliated", "decided_by",
                   "evidence", "n_evidence"):
        assert column in frame.columns, column
    assert str(frame["date"].dtype).startswith("datetime64") and frame["date"].isna().sum() == 1
    assert frame.loc[frame.actor == "Kestrel Pay", "date"].iloc[0].isoformat() == "2019-07-02T10:00:00"
    ruiz = frame[frame.actor == "Ana Ruiz"].iloc[0]
    assert ruiz.decided_by == "affiliation" and ruiz.affiliated and ruiz.n_evidence == 1
    counts = frame.groupby(["target", "label"]).size()
    assert counts[("Veltra", "oppose")] == 2 and counts[("Kestrel Pay", "oppose")] == 1


def test_parquet_has_the_same_rows(results, tmp_path):
    import pyarrow.parquet as pq

    out = tmp_path / "stances.parquet"
    result = report(results, "--out", out)
    assert result.exit_code == 0, result.output
    table = pq.read_table(out)
    assert table.num_rows == N_STANCES and "evidence" in table.column_names
    assert report(results, "--out", out).exit_code == 2  # never overwritten without --force


# bad input ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("content", [
    b"id,actor,label\n1,Gucci,oppose\n",
    b'{"id": "r1", "text": "Gucci sued Alibaba.", "actor": "Gucci", "target": "Alibaba", "stance": "oppose"}\n',
    b"\x00\x01\xff\xfe binary",
    b"[1, 2, 3]\n",
])
def test_a_file_that_is_not_results_gives_one_line_and_exit_2(tmp_path, content):
    path = tmp_path / "not-results.jsonl"
    path.write_bytes(content)
    for args in ([path], [path, "--out", tmp_path / "r.html"]):
        result = report(*args)
        assert result.exit_code == 2, result.output
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error:") and "stance annotate" in lines[0]
    assert not (tmp_path / "r.html").exists()


def test_report_usage_errors(results, tmp_path):
    assert report(tmp_path / "missing.jsonl").exit_code == 2
    assert report(results, "--out", tmp_path / "x.pdf").exit_code == 2
    assert report(results, "--by", "week").exit_code == 2


# the terminal summary ------------------------------------------------------------------------------
def test_terminal_summary_per_target_and_by_month(results):
    result = report(results)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "3 documents (2 dated, 2019-05-14 to 2019-07-02; 1 undated), 1 failed, 6 stances" in out
    assert "Veltra: actors" in out and "Kestrel Pay: actors" in out
    sellers = next(line for line in out.splitlines() if "Federation of Independent Sellers" in line)
    cells = [cell.strip() for cell in sellers.split("│") if cell.strip()]
    # actor, type, documents, support, oppose, neutral, mean score, by rule, first, last
    assert cells == ["Federation of Independent Sellers", "ORG", "2", "0", "2", "0", "0.85", "0", "2019-05-14", "2019-07-02"]
    by_month = report(results, "--by", "month").output
    assert "2019-05" in by_month and "2019-07" in by_month and "undated" in by_month


# the page ----------------------------------------------------------------------------------------
def test_annotate_html_is_the_page_stance_report_makes(tmp_path, tiny_model):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.md").write_text("---\ndate: 2019-05-14\n---\nGucci sued Alibaba over fakes. Kering praised Alibaba.\n")
    (folder / "empty.txt").write_text("")
    out = tmp_path / "page.html"
    result = CliRunner().invoke(app, ["annotate", str(folder), "--out", str(out), "--model", str(tiny_model),
                                      "-t", "Alibaba", "--quiet"])
    assert result.exit_code == 1, result.output  # the empty file failed
    again = tmp_path / "again.html"
    assert report(tmp_path / "page.html.records.jsonl", "--out", again).exit_code == 0
    assert report(out, "--out", tmp_path / "via-page.html").exit_code == 0  # the page's records are found beside it
    page = out.read_text(encoding="utf-8")
    assert page == again.read_text(encoding="utf-8") == (tmp_path / "via-page.html").read_text(encoding="utf-8")
    assert "Failed documents (1)" in page and "empty file" in page and "Run started" in page


def test_page_is_self_contained(results, tmp_path):
    out = tmp_path / "page.html"
    assert report(results, "--out", out).exit_code == 0
    page = out.read_text(encoding="utf-8")
    csp = re.search(r'Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp.split("script-src")[1]
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)  # nothing to fetch
    assert "</script><script>document.title" not in page and XSS not in page  # article text cannot close the data block
    assert '<meta name="generator" content="stance' in page and "2024-03-01T09:00:00+00:00" in page


class Chromium:
    """Headless Chromium driven over the DevTools protocol on a pipe (no websocket library needed)."""

    def __init__(self, tmp_path):
        to_chrome, self._write = os.pipe()
        self._read, from_chrome = os.pipe()

        def wire():  # the DevTools pipe is file descriptors 3 (commands in) and 4 (replies out)
            a, b = os.dup(to_chrome), os.dup(from_chrome)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.process = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
             f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1280,900", "about:blank"],
            pass_fds=(3, 4), preexec_fn=wire, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env={**os.environ, "HOME": str(tmp_path)})
        os.close(to_chrome)
        os.close(from_chrome)
        self._buffer, self._next, self.events, self.session = b"", 0, [], None

    def _receive(self, deadline):
        while b"\0" not in self._buffer:
            if not select.select([self._read], [], [], max(0.0, deadline - time.monotonic()))[0]:
                raise TimeoutError("Chromium did not answer")
            chunk = os.read(self._read, 1 << 20)
            if not chunk:
                raise EOFError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method, timeout=60, **params):
        self._next += 1
        message = {"id": self._next, "method": method, "params": params}
        if self.session and not method.startswith(("Target.", "Browser.")):
            message["sessionId"] = self.session
        os.write(self._write, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._receive(deadline)
            if reply.get("id") == self._next:
                assert "error" not in reply, reply
                return reply.get("result", {})
            self.events.append(reply)

    def open(self, url):
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Network", "Runtime"):
            self.call(f"{domain}.enable")
        self.call("Page.navigate", url=url)
        deadline = time.monotonic() + 60
        while not self.js("document.documentElement?.dataset.ready === '1'"):
            assert time.monotonic() < deadline, "the page's script never finished"
            time.sleep(0.05)

    def js(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        assert "exceptionDetails" not in result, result
        return result["result"].get("value")

    def close(self):
        try:
            self.call("Browser.close", timeout=10)
        except (EOFError, TimeoutError, OSError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        os.close(self._write)
        os.close(self._read)


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_page_in_headless_chromium(results, tmp_path):
    out = tmp_path / "page.html"
    assert report(results, "--out", out).exit_code == 0
    browser = Chromium(tmp_path)
    try:
        browser.open(out.as_uri())
        js = browser.js
        # the charts: a diverging bar per actor row, a timeline per target (dated documents exist)
        assert js("document.querySelectorAll('section.target').length") == 2
        assert js("document.querySelectorAll('table.actors svg.chart.diverging').length") == 5
        assert js("document.querySelectorAll('svg.chart.timeline').length") == 2
        assert "2 oppose, 0 neutral, 0 support" in js("document.querySelector('svg.diverging title').textContent")
        # the evidence: every stance, its sentences, actor and target marked, the score or the rule in words
        assert js("document.querySelectorAll('#stance-list li.stance').length") == N_STANCES
        marks = js("[...document.querySelectorAll('#stance-list mark.a')].map(m => m.textContent)")
        assert set(marks) == {"Federation of Independent Sellers", "Ana Ruiz", "Kestrel Pay", "Lumora Market", "Sellers United"}
        targets = js("[...document.querySelectorAll('#stance-list mark.t')].map(m => m.textContent)")
        assert set(targets) == {"Veltra", "Kestrel Pay"}
        assert js("[...document.querySelectorAll('.badge')].every(b => b.textContent.trim().length > 0)")
        ruiz = js("[...document.querySelectorAll('li.stance')].find(li => li.textContent.includes('Ana Ruiz')).textContent")
        assert "affiliated" in ruiz and "decided by the affiliation rule" in ruiz and "neutral 0.68" in ruiz
        # article text is shown as text, never run
        assert js("document.title") != "pwned" and js("document.querySelectorAll('#stance-list img').length") == 0
        assert "<img src=x" in js("[...document.querySelectorAll('li.stance')].map(li => li.textContent).join(' ')")
        # the filters are there, and change what is shown
        for name in ("target", "label", "type", "by", "min", "from", "to", "q", "sort"):
            assert js(f"!!document.querySelector('#filters [name={name}]')"), name

        def choose(name, value, reset=False):
            js(("f.reset(); " if reset else "") + f"f.{name}.value = {json.dumps(value)}; "
               f"f.{name}.dispatchEvent(new Event('input', {{bubbles: true}}))")

        js("f = document.getElementById('filters')")
        choose("label", "oppose")
        assert js("[...document.querySelectorAll('li.stance')].map(li => li.className)") == ["stance l-oppose"] * 3
        assert js("document.getElementById('count').textContent").startswith("Showing 3 of 3 matching stances")
        assert "label=oppose" in js("location.hash")
        choose("min", "0.85")
        assert js("document.querySelectorAll('li.stance').length") == 1
        choose("q", "kestrel", reset=True)
        time.sleep(0.4)  # the search box waits for typing to pause
        assert js("document.querySelectorAll('li.stance').length") == 2
        choose("from", "2019-06", reset=True)
        assert js("document.querySelectorAll('li.stance').length") == 3  # doc-2 only: dated July 2019
        js("f.reset()")
        time.sleep(0.1)
        assert js("document.querySelectorAll('li.stance').length") == N_STANCES
        # sorting the actor table by a column reorders its rows
        first = "document.querySelector('table.actors tbody tr td:nth-child(2) a').textContent"
        assert js(first) == "Federation of Independent Sellers"
        js("document.querySelector('table.actors th:nth-child(2) button').click()")
        assert js(first) == "Ana Ruiz"
        # the document view: the text with every actor mention marked, labels in words
        js("[...document.querySelectorAll('a.doc')].find(a => a.textContent === 'doc-2.txt').click()")
        assert js("document.getElementById('doc-view').hidden") is False
        marked = "[...document.querySelectorAll('#doc-view .doc-text mark.a%s')].map(m => m.textContent)"
        assert js(marked % ".s-support") == ["Kestrel Pay", "Kestrel Pay"]  # stances toward Veltra, opened from its card
        assert js(marked % ".s-oppose") == ["Federation of Independent Sellers"]
        assert js(marked % ":not([class*=s-])") == ["Lumora Market"]  # its stance is toward Kestrel Pay
        assert js("[...document.querySelectorAll('#doc-view .doc-text .badge')].map(b => b.textContent)") == ["support", "oppose"]
        assert "support" in js("document.querySelector('#doc-view .doc-text mark.a').title")
        js("document.getElementById('doc-close').click()")
        assert js("document.getElementById('doc-view').hidden") is True
        # a bookmarked view opens filtered
        browser.open(out.as_uri() + "#label=neutral&doc=doc-3.txt")
        assert js("document.querySelectorAll('li.stance').length") == 1
        assert "Sellers United" in js("document.querySelector('#doc-view .doc-text').textContent")
        assert js("document.title") != "pwned"
        # offline: the page asked for nothing but itself, and raised no error
        requests = [e["params"]["request"]["url"] for e in browser.events if e.get("method") == "Network.requestWillBeSent"]
        # data: is the month picker's own icon, drawn by Chromium
        assert requests and all(url.startswith(("file://", "data:")) for url in requests), requests
        assert not [e for e in browser.events if e.get("method") == "Runtime.exceptionThrown"]
    finally:
        browser.close()
