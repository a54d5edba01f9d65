"""A document's date, as ISO 8601: from a row's field, an HTML page's meta tags or Markdown front matter.

Only unambiguous forms are read (``2019-05-14``, ISO date-times, RFC 2822, ``14 May 2019``,
``May 14, 2019``); ``05/06/2019`` could be May or June and is refused, with a note saying so.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime

# written as found, without a time: day-first and month-first with the month named
_DATE_FORMATS = ("%Y/%m/%d", "%Y.%m.%d", "%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y",
                 "%d. %B %Y", "%A, %d %B %Y", "%A, %B %d, %Y")
# <meta> names and properties that hold a page's publication date, most specific first
HTML_DATE_META = ("article:published_time", "og:published_time", "og:article:published_time", "datepublished",
                  "publishdate", "publish-date", "pubdate", "parsely-pub-date", "sailthru.date", "dc.date.issued",
                  "dcterms.issued", "dc.date", "dcterms.date", "dcterms.created", "date")
FRONT_MATTER_DATE_KEYS = ("date", "published", "publish_date", "published_at", "pubdate", "created")
_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
_EPOCH_MIN = 100_000_000  # a number below this is not a Unix time in seconds (1973), e.g. a year


def parse_date(value: object) -> str | None:
    """ISO 8601 for a date written in a common unambiguous form; None if it is not one.

    A date without a time stays a date (``2019-05-14``); a date-time keeps its offset if it had one.

    Example:
        >>> parse_date("14 May 2019"), parse_date("2019-05-14T08:30:00Z")
        ('2019-05-14', '2019-05-14T08:30:00+00:00')
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        seconds = value / 1000 if value > 10 * _EPOCH_MIN * 1000 else value
        if seconds < _EPOCH_MIN:
            return None
        return datetime.fromtimestamp(seconds, UTC).isoformat()
    if not isinstance(value, str):
        return None
    text = " ".join(value.split()).strip("\"'")
    if not text:
        return None
    return _iso(text) or _named(text) or _rfc2822(text)


def date_problem(value: object) -> str:
    """Why ``value`` was not read as a date (for a record's ``meta.date_warning``)."""
    shown = repr(value)[:60]
    if isinstance(value, str) and re.fullmatch(r"\s*\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\s*", value):
        return f"date {shown} is ambiguous (day or month first?); write it as YYYY-MM-DD"
    return f"date {shown} not understood; write it as ISO 8601 (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+00:00)"


def _iso(text: str) -> str | None:
    if not re.match(r"\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        if len(text) == 10:
            return date.fromisoformat(text).isoformat()
        return datetime.fromisoformat(text.replace(" ", "T", 1)).isoformat()
    except ValueError:
        return None


def _named(text: str) -> str | None:
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text)
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def _rfc2822(text: str) -> str | None:
    if not re.search(r"\d{4} \d{2}:\d{2}", text):
        return None
    try:
        return parsedate_to_datetime(text).isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def html_date(soup) -> str | None:
    """The publication date of a parsed page (BeautifulSoup): meta tags, JSON-LD, then ``<time pubdate>``."""
    found: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        key = (tag.get("property") or tag.get("name") or tag.get("itemprop") or "").strip().lower()
        if key in HTML_DATE_META and tag.get("content") and key not in found:
            found[key] = tag["content"]
    for key in HTML_DATE_META:
        if key in found and (value := parse_date(found[key])):
            return value
    for script in soup.find_all("script", type="application/ld+json"):
        if value := _json_ld_date(script.string or ""):
            return value
    for tag in soup.find_all("time"):
        if tag.get("itemprop", "").lower() == "datepublished" or tag.has_attr("pubdate"):
            if value := parse_date(tag.get("datetime") or tag.get_text(" ", strip=True)):
                return value
    return None


def _json_ld_date(text: str) -> str | None:
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return None
    stack = [data]
    while stack:
        item = stack.pop(0)
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            if value := parse_date(item.get("datePublished")):
                return value
            stack.extend(v for v in item.values() if isinstance(v, list | dict))
    return None


def front_matter(text: str) -> tuple[dict[str, str], str]:
    """The ``key: value`` pairs of a Markdown file's ``---`` front matter, and the text after it.

    Only flat ``key: value`` lines are read (enough for a date and a title); no YAML library is needed.
    """
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    fields = {}
    for line in match.group(1).splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() and not key.startswith((" ", "\t", "-", "#")):
            fields[key.strip().lower()] = value.strip().strip("\"'")
    return fields, text[match.end():]


def front_matter_date(fields: dict[str, str]) -> tuple[str | None, str | None]:
    """(ISO date, None), or (None, why not) when a date key holds something else, or (None, None)."""
    for key in FRONT_MATTER_DATE_KEYS:
        if fields.get(key):
            value = parse_date(fields[key])
            return (value, None) if value else (None, date_problem(fields[key]))
    return None, None
