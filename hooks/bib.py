"""MkDocs hook: the book's bibliography as data.

One source, ``docs_src/references.bib`` (BibTeX, read with pybtex's public
API). Pages cite by key, in the same syntax in both languages:

* ``[@hopfield1982]`` -> "(Hopfield 1982)"; on a Chinese page "（Hopfield，1982）";
* ``[@hopfield1982; @amit1985]`` -> "(Hopfield 1982; Amit et al. 1985)";
* ``[@hertz1991, chapter 2]`` -> "(Hertz et al. 1991, chapter 2)" (a locator);
  ``[see @hopfield1982]`` -> "(see Hopfield 1982)" (a prefix);
* ``@hopfield1982`` -> "Hopfield (1982)", ``@hertz1991 [table 2.1]`` ->
  "Hertz et al. (1991, table 2.1)"; Chinese: "Amit 等（1985）".

Each citation links to its entry: on the page's own reference list when the
page has one, otherwise on the References page. A line ``<!-- bibliography -->``
is replaced by the list of the works the page cites (``<!-- bibliography:
all -->`` by the whole ``.bib``, which is what the References page uses), each
entry with the key as its anchor. Nothing inside fenced code, inline code,
URLs or e-mail addresses is touched. An unknown key stops the build with a
``PluginError`` naming the page and the key.

English entries follow an author–date style close to APA; Chinese entries
follow GB/T 7714-2015's author–year system (surnames in capitals, document
type codes such as [J] and [M]). Titles stay in their original language.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from pybtex.backends.plaintext import Backend as PlainText
from pybtex.database import BibliographyData, Entry, Person, parse_file
from pybtex.richtext import Text

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "docs_src") not in sys.path:
    sys.path.insert(0, str(ROOT / "docs_src"))

from nnbook.languages import page_language  # noqa: E402

BIB_PATH = ROOT / "docs_src" / "references.bib"
REFERENCES_PAGE = "references.md"

KEY = r"[a-z][a-z0-9]*\d{4}[a-z]?"
KEY_RE = re.compile(KEY)
# [@a], [@a, p. 12], [see @a; @b]: one or more items separated by ';'
# each holding exactly one @key. Not a link text: `[@a](...)` is left alone.
GROUP_RE = re.compile(r"\[(?P<body>[^\[\]]*?(?<![\w.])-?@[^\[\]]*?)\](?![(\[])(?P<trail>[ \t]*)")
ITEM_RE = re.compile(
    r"^\s*(?P<prefix>[^@]*?)\s*(?<![\w.])@(?P<key>[^\s,;，；\]]+)\s*(?:[,，]\s*(?P<locator>.+?))?\s*$", re.S
)
ITEM_SEP = re.compile(r"[;；]")
# @key, optionally followed by " [locator]"
TEXTUAL_RE = re.compile(
    rf"(?<![\w.@/+\[-])@(?P<key>{KEY})(?![A-Za-z0-9_@])(?:[ \t]\[(?P<locator>[^\[\]@]+)\](?![(\[]))?(?P<trail>[ \t]*)"
)
SENTENCE_START = re.compile(r"(?:\A|[.!?]\s+|\n[ \t]*\n[ \t]*|^[ \t]*(?:[-*+]|\d+\.)[ \t]+)\Z", re.M)
CJK_NEXT = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
MARKER_RE = re.compile(r"^[ \t]*<!--\s*bibliography(?:\s*:\s*(?P<arg>[^>]*?))?\s*-->[ \t]*$", re.M)

# Regions where nothing is a citation: fenced code (``` or ~~~, possibly
# indented inside admonitions or lists), inline code, HTML comments, URLs,
# autolinks, link destinations, e-mail addresses.
FENCE_OPEN_RE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
PROTECT_RE = re.compile(
    r"(?P<code>(?<!`)(?P<ticks>`+)(?!`).+?(?<!`)(?P=ticks)(?!`))"
    r"|(?P<comment><!--.*?-->)"
    r"|(?P<auto><[a-z]+://[^>\s]+>)"
    r"|(?P<dest>\]\([^)\s]*\))"
    r"|(?P<url>\b(?:https?|ftp)://[^\s)\]>]+)"
    r"|(?P<email>\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+)",
    re.S,
)


@dataclass(frozen=True)
class Style:
    """The conventions of one language."""

    open: str
    close: str
    sep: str  # between works in one parenthesis
    name_year: str  # between names and year inside a parenthesis
    locator: str  # between year and locator
    two_paren: str  # between two authors inside a parenthesis
    two_text: str  # between two authors in running text
    et_al: str


STYLES = {
    "en": Style("(", ")", "; ", " ", ", ", " & ", " and ", " et al."),
    "zh": Style("（", "）", "；", "，", "，", " 和 ", " 和 ", " 等"),
}


_PLAIN = PlainText()


@cache
def _latex_to_text(value: str) -> str:
    return str(Text.from_latex(value).render(_PLAIN))


def _ascii(text: str) -> str:
    text = text.replace("ø", "o").replace("Ø", "O").replace("ł", "l").replace("ß", "ss")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


# ---------------------------------------------------------------- reading


def load_bibliography(path: Path = BIB_PATH) -> BibliographyData:
    """Parse the ``.bib`` file; keys must be lowercase ASCII ``firstauthorYYYY`` (+ letter)."""
    bib = parse_file(str(path), bib_format="bibtex")
    bad = [key for key in bib.entries if not re.fullmatch(KEY, key)]
    if bad:
        raise PluginError(f"{path.name}: keys must look like `hopfield1982` (lowercase, year, optional letter): {bad}")
    return bib


def people(entry: Entry) -> list[Person]:
    """The authors, or the editors of an edited volume without authors."""
    return list(entry.persons.get("author") or entry.persons.get("editor") or [])


def has_others(entry: Entry) -> bool:
    return any(str(p) == "others" for p in people(entry))


def surname(person: Person) -> str:
    return _latex_to_text(" ".join(person.prelast_names + person.last_names))


def _named(entry: Entry) -> list[Person]:
    return [p for p in people(entry) if str(p) != "others"]


def author_label(entry: Entry, lang: str, textual: bool) -> str:
    """Names as cited: one surname, two joined, or the first with et al./等."""
    style = STYLES[lang]
    names = [surname(p) for p in _named(entry)]
    if len(names) >= 3 or (has_others(entry) and names):
        return names[0] + style.et_al
    if len(names) == 2:
        return names[0] + (style.two_text if textual else style.two_paren) + names[1]
    return names[0]


_YEAR_LABELS: dict[int, tuple[BibliographyData, dict[str, str]]] = {}


def year_labels(bib: BibliographyData) -> dict[str, str]:
    """Year as cited; works whose citations would read the same get 1998a, 1998b (by title)."""
    cached = _YEAR_LABELS.get(id(bib))
    if cached and cached[0] is bib:
        return cached[1]
    groups: dict[tuple[str, str], list[str]] = {}
    for key, entry in bib.entries.items():
        groups.setdefault((author_label(entry, "en", False), entry.fields["year"]), []).append(key)
    labels = {}
    for (_, year), keys in groups.items():
        if len(keys) == 1:
            labels[keys[0]] = year
        else:
            ordered = sorted(keys, key=lambda k: _latex_to_text(bib.entries[k].fields.get("title", "")).lower())
            for i, key in enumerate(ordered):
                labels[key] = year + "abcdefghijklmnopqrstuvwxyz"[i]
    _YEAR_LABELS[id(bib)] = (bib, labels)
    return labels


# ---------------------------------------------------------------- citing


class UnknownKey(PluginError):
    pass


@dataclass
class Citer:
    """Render citations of one page in one language."""

    bib: BibliographyData
    lang: str
    page: str  # for error messages
    link: str  # "" for the page's own list, else the relative link to the References page
    years: dict[str, str]

    def __post_init__(self) -> None:
        self.cited: list[str] = []

    def _entry(self, key: str) -> Entry:
        if key not in self.bib.entries:
            raise UnknownKey(f"{self.page}: unknown citation key '@{key}' (not in docs_src/references.bib)")
        if key not in self.cited:
            self.cited.append(key)
        return self.bib.entries[key]

    def href(self, key: str) -> str:
        return f"{self.link}#{key}"

    def parenthetical(self, items: list[tuple[str, str | None, str | None]]) -> str:
        """items: (prefix, key, locator); an item without a key is a remark kept as written."""
        s = STYLES[self.lang]
        parts = []
        for prefix, key, locator in items:
            if key is None:
                parts.append(prefix)
                continue
            entry = self._entry(key)
            text = author_label(entry, self.lang, textual=False) + s.name_year + self.years[key]
            if locator:
                text += s.locator + locator
            part = f"[{text}]({self.href(key)})"
            if prefix:
                part = prefix + ("" if prefix[-1] in "，、：" else " ") + part
            parts.append(part)
        return s.open + s.sep.join(parts) + s.close

    def textual(self, key: str, locator: str | None) -> str:
        s = STYLES[self.lang]
        entry = self._entry(key)
        inner = self.years[key] + (s.locator + locator if locator else "")
        names = author_label(entry, self.lang, textual=True) + (" " if self.lang == "en" else "")
        return f"[{names}{s.open}{inner}{s.close}]({self.href(key)})"

    def _group(self, match: re.Match[str]) -> str:
        items: list[tuple[str, str | None, str | None]] = []
        for raw in ITEM_SEP.split(match["body"]):
            if "@" not in raw:  # a remark that shares the parenthesis, e.g. "[GPT-3; @brown2020]"
                items.append((raw.strip(), None, None))
                continue
            m = ITEM_RE.match(raw)
            if not m:
                raise PluginError(f"{self.page}: cannot read the citation '[{match['body']}]'")
            items.append((m["prefix"].strip(), m["key"], (m["locator"] or "").strip() or None))
        return self.parenthetical(items)

    def _trail(self, match: re.Match[str]) -> str:
        """Spaces after a citation; on Chinese pages none before Chinese text (the citation ends in '）')."""
        text = match.string
        if self.lang == "zh" and CJK_NEXT.match(text, match.end()):
            return ""
        return match["trail"]

    def render_text(self, text: str) -> str:
        """Replace citations in a stretch of prose that holds no protected region."""
        text = GROUP_RE.sub(lambda m: self._group(m) + self._trail(m), text)
        if self.lang == "zh":  # a full-width parenthesis needs no space before it
            text = re.sub(r"[ \t]+(（(?:\[|[^）\]]*? \[))", r"\1", text)
        return TEXTUAL_RE.sub(lambda m: self._textual_match(m) + self._trail(m), text)

    def _textual_match(self, match: re.Match[str]) -> str:
        out = self.textual(match["key"], match["locator"])
        before = match.string[: match.start()]
        # "van de Ven et al. (2022) showed" opens a sentence as "Van de Ven ..."
        if self.lang == "en" and SENTENCE_START.search(before):
            out = out[0] + out[1].upper() + out[2:]
        return out


def split_protected(markdown: str) -> list[tuple[bool, str]]:
    """Cut a page into (is_prose, text) pieces; code, comments, URLs and e-mails are not prose."""
    pieces: list[tuple[bool, str]] = []
    buf: list[str] = []
    fence = ""
    for line in markdown.splitlines(keepends=True):
        stripped = line.lstrip()
        if fence:
            buf.append(line)
            if stripped.startswith(fence) and not stripped.strip().strip(fence[0]):
                pieces.append((False, "".join(buf)))
                buf, fence = [], ""
            continue
        m = FENCE_OPEN_RE.match(line)
        if m:
            _split_inline("".join(buf), pieces)
            buf, fence = [line], m.group(1)
            continue
        buf.append(line)
    if fence:
        pieces.append((False, "".join(buf)))
    else:
        _split_inline("".join(buf), pieces)
    return pieces


def _split_inline(text: str, pieces: list[tuple[bool, str]]) -> None:
    pos = 0
    for m in PROTECT_RE.finditer(text):
        if m.group("comment") and MARKER_RE.fullmatch(m.group(0)):
            continue  # the bibliography marker is handled separately
        pieces.append((True, text[pos : m.start()]))
        pieces.append((False, m.group(0)))
        pos = m.end()
    pieces.append((True, text[pos:]))


def prose(markdown: str) -> str:
    """The page with protected regions blanked (same length); used by the tests."""
    return "".join(t if ok else re.sub(r"[^\n]", " ", t) for ok, t in split_protected(markdown))


def cite(markdown: str, bib: BibliographyData, lang: str, page: str, link: str) -> tuple[str, list[str]]:
    """Render every citation of a page; return the new markdown and the keys cited, in order."""
    citer = Citer(bib, lang, page, link, year_labels(bib))
    out = "".join(citer.render_text(t) if ok else t for ok, t in split_protected(markdown))
    return out, citer.cited


def cited_keys(markdown: str) -> list[str]:
    """Keys a page cites (known or not), in order of first citation."""
    keys: list[str] = []
    for ok, text in split_protected(markdown):
        if not ok:
            continue
        for group in GROUP_RE.finditer(text):
            for raw in ITEM_SEP.split(group["body"]):
                m = ITEM_RE.match(raw) if "@" in raw else None
                if m and m["key"] not in keys:
                    keys.append(m["key"])
        for m in TEXTUAL_RE.finditer(GROUP_RE.sub("", text)):
            if m["key"] not in keys:
                keys.append(m["key"])
    return keys


def page_keys(markdown: str) -> list[str]:
    """Keys a page uses: those it cites and those its bibliography marker adds."""
    keys = cited_keys(markdown)
    marker = MARKER_RE.search(markdown)
    extra = KEY_RE.findall(marker["arg"] or "") if marker and (marker["arg"] or "").strip() != "all" else []
    return keys + [k for k in extra if k not in keys]


def uncited_entries(bib: BibliographyData, docs_dir: Path) -> list[str]:
    """Entries of the ``.bib`` that no page cites (the References page, which lists all, does not count)."""
    used: set[str] = set()
    for path in docs_dir.rglob("*.md"):
        used.update(page_keys(path.read_text(encoding="utf-8")))
    return sorted(set(bib.entries) - used)


# A citation typed by hand: "Hopfield (1982)", "Amit et al. (1985)", "(Hopfield 1982)",
# "Bi & Poo 2001", "Amit 等（1985）", "（Hopfield，1982）". It counts when it names
# several authors ("et al.", "等", "&", "and", "和", "与", "、") or when the single
# surname and the year are those of an entry's first author (so "In 1953" or
# "the perceptron (1958)" are not citations).
_SURNAME = r"(?:(?:van|de|der|von)\s+)?[A-Z][A-Za-zÀ-ÿøłü'’\-]*[a-zà-ÿøłü]"
_MORE = rf"(?:\s+et\s+al\.|\s*等人?|(?:,\s+|,?\s+(?:and|&)\s+|\s+(?:和|与)\s+|、\s*){_SURNAME})"
HAND_RE = re.compile(
    rf"(?<![\w@])(?P<first>{_SURNAME})(?P<more>{_MORE}*)(?:['’]s)?[ \t\n]*[,，]?[ \t\n]*[(（]?"
    r"(?P<year>1[6-9]\d\d|20[0-2]\d)[a-z]?(?!\d)"
)


def _first_author_years(bib: BibliographyData) -> set[tuple[str, str]]:
    return {
        (re.sub(r"[^a-z]", "", _ascii(surname(_named(e)[0])).lower()), e.fields["year"])
        for e in bib.entries.values()
        if _named(e)
    }


def hand_written_citations(markdown: str, bib: BibliographyData) -> list[tuple[int, str]]:
    """(line, text) of every citation written out by hand in the prose of a page."""
    text = prose(markdown)
    firsts = _first_author_years(bib)
    found = []
    for m in HAND_RE.finditer(text):
        name = re.sub(r"[^a-z]", "", _ascii(m["first"]).lower())
        if m["more"] or (name, m["year"]) in firsts:
            found.append((text.count("\n", 0, m.start()) + 1, m.group(0)))
    return found


# ---------------------------------------------------------------- entries


def sort_key(bib: BibliographyData, key: str) -> tuple[Any, ...]:
    entry = bib.entries[key]
    names = tuple(
        _ascii(surname(p)).lower().replace(" ", "") + " " + _ascii(" ".join(p.first_names + p.middle_names)).lower()
        for p in _named(entry)
    )
    return (names, entry.fields["year"], key)


def _initials_en(person: Person) -> str:
    return _latex_to_text(" ".join(person.first_names + person.middle_names))


def _name_en(person: Person, inverted: bool = True) -> str:
    first = _initials_en(person)
    last = surname(person)
    suffix = _latex_to_text(" ".join(person.lineage_names))
    if inverted:
        return f"{last}, {first}" + (f", {suffix}" if suffix else "") if first else last
    return f"{first} {last}".strip()


def _names_en(persons: list[Person], others: bool, inverted: bool = True) -> str:
    names = [_name_en(p, inverted) for p in persons]
    if others:
        return ", ".join(names) + ", et al."
    if len(names) == 1:
        return names[0]
    if inverted:
        return ", ".join(names[:-1]) + ", & " + names[-1]
    if len(names) == 2:
        return f"{names[0]} & {names[1]}"
    return ", ".join(names[:-1]) + ", & " + names[-1]


def _name_zh(person: Person) -> str:
    last = _latex_to_text(" ".join(person.prelast_names + person.last_names)).upper()
    initials = _latex_to_text(" ".join(person.first_names + person.middle_names))
    initials = " ".join(x[0] for x in re.split(r"[.\s-]+", initials) if x)
    return f"{last} {initials}".strip()


def _names_zh(persons: list[Person], others: bool) -> str:
    text = ", ".join(_name_zh(p) for p in persons)
    return text + ", 等" if others else text


def _ordinal(n: str) -> str:
    if not n.isdigit():
        return n
    k = int(n)
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{k}{suffix}"


def _f(entry: Entry, name: str) -> str:
    value = entry.fields.get(name, "")
    return _latex_to_text(value) if value else ""


def _pages(entry: Entry, dash: str) -> str:
    return _f(entry, "pages").replace("--", dash).replace("–", dash)


def _end(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else text + "."


def format_entry_en(entry: Entry, year: str | None = None) -> str:
    """One entry as Markdown, author–date style (close to APA)."""
    persons = _named(entry)
    edited = "author" not in entry.persons
    who = _names_en(persons, has_others(entry)) + (
        " (Eds.)." if edited and len(persons) > 1 else " (Ed.)." if edited else ""
    )
    head = f"{_end(who)} ({year or entry.fields['year']})."
    title = _f(entry, "title")
    t = entry.type.lower()
    doi = f" doi:{entry.fields['doi']}" if "doi" in entry.fields else ""
    if t == "article":
        body = f"{_end(title)} *{_f(entry, 'journal')}*"
        if "volume" in entry.fields:
            body += f", {_f(entry, 'volume')}" + (f"({_f(entry, 'number')})" if "number" in entry.fields else "")
        if "pages" in entry.fields:
            body += f", {_pages(entry, '–')}"
        body += "."
    elif t == "inproceedings":
        body = f"{_end(title)} *{_f(entry, 'booktitle')}*"
        if "series" in entry.fields:
            body += f", {_f(entry, 'series')} {_f(entry, 'volume')}"
        elif "volume" in entry.fields:
            body += f", {_f(entry, 'volume')}"
        if "pages" in entry.fields:
            body += f", {_pages(entry, '–')}"
        body += "."
        if "publisher" in entry.fields:
            body += f" {_f(entry, 'publisher')}."
    elif t == "incollection":
        eds = entry.persons.get("editor", [])
        ed = _names_en(list(eds), False, inverted=False) + (" (Eds.)" if len(eds) > 1 else " (Ed.)")
        inside = []
        if "series" in entry.fields:
            inside.append(f"{_f(entry, 'series')} {_f(entry, 'volume')}")
        elif "volume" in entry.fields:
            inside.append(f"Vol. {_f(entry, 'volume')}")
        if "pages" in entry.fields:
            inside.append(f"pp. {_pages(entry, '–')}")
        paren = f" ({', '.join(inside)})" if inside else ""
        body = f"{_end(title)} In {ed}, *{_f(entry, 'booktitle')}*{paren}. {_f(entry, 'publisher')}."
    elif t in ("book",):
        edition = f" ({_ordinal(_f(entry, 'edition'))} ed.)" if "edition" in entry.fields else ""
        body = f"*{title}*{edition}. {_f(entry, 'publisher')}."
        if "translation" in entry.fields:
            body += f" Chinese edition: {_f(entry, 'translation')}."
    elif t in ("phdthesis", "mastersthesis"):
        kind = _f(entry, "type") or ("PhD thesis" if t == "phdthesis" else "Master's thesis")
        lang = f" (in {_f(entry, 'language')})" if "language" in entry.fields else ""
        body = f"*{title}*{lang}. {kind}, {_f(entry, 'school')}."
    else:  # misc: preprints and data sets
        if "eprint" in entry.fields:
            body = f"{_end(title)} {_f(entry, 'archiveprefix') or 'arXiv'}:{entry.fields['eprint']}."
        else:
            body = f"*{title}* [{_f(entry, 'note') or 'Data set'}]. {_f(entry, 'howpublished')}."
    return f"{head} {body}{doi}"


def format_entry_zh(entry: Entry, year: str | None = None) -> str:
    """One entry as Markdown, GB/T 7714-2015 author–year system."""
    persons = _named(entry)
    edited = "author" not in entry.persons
    who = _names_zh(persons, has_others(entry)) + (", 编" if edited else "")
    head = f"{who}, {year or entry.fields['year']}."
    title = _f(entry, "title")
    t = entry.type.lower()
    doi = f" DOI:{entry.fields['doi']}." if "doi" in entry.fields else ""
    if t == "article":
        body = f"{title}[J]. {_f(entry, 'journal')}"
        if "volume" in entry.fields:
            body += f", {_f(entry, 'volume')}" + (f"({_f(entry, 'number')})" if "number" in entry.fields else "")
        if "pages" in entry.fields:
            body += f": {_pages(entry, '-')}"
        body += "."
    elif t == "inproceedings":
        body = f"{title}[C]//{_f(entry, 'booktitle')}"
        if "series" in entry.fields:
            body += f". {_f(entry, 'series')} {_f(entry, 'volume')}"
        elif "volume" in entry.fields:
            body += f": {_f(entry, 'volume')}"
        if "publisher" in entry.fields:
            body += f". {_f(entry, 'publisher')}"
        if "pages" in entry.fields:
            body += f": {_pages(entry, '-')}"
        body += "."
    elif t == "incollection":
        eds = _names_zh(list(entry.persons.get("editor", [])), False)
        vol = ""
        if "series" in entry.fields:
            vol = f". {_f(entry, 'series')} {_f(entry, 'volume')}"
        elif "volume" in entry.fields:
            vol = f": Vol. {_f(entry, 'volume')}"
        body = f"{title}[M]//{eds}, 编. {_f(entry, 'booktitle')}{vol}. {_f(entry, 'publisher')}: {_pages(entry, '-')}."
    elif t == "book":
        edition = f" {_ordinal(_f(entry, 'edition'))} ed." if "edition" in entry.fields else ""
        body = f"{title}[M].{edition} {_f(entry, 'publisher')}."
        if "translation" in entry.fields:
            body += f" 中译本：{_f(entry, 'translation').replace(', ', '，')}。"
    elif t in ("phdthesis", "mastersthesis"):
        kind = {"phdthesis": "博士学位论文", "Diploma thesis": "Diplom 学位论文"}.get(
            t if t == "phdthesis" else _f(entry, "type"), "硕士学位论文"
        )
        lang = {"Finnish": "（芬兰语）", "": ""}.get(_f(entry, "language"), f"（{_f(entry, 'language')}）")
        body = f"{title}[D]. {_f(entry, 'school')}. {kind}{lang}."
    elif "eprint" in entry.fields:
        body = f"{title}[EB/OL]. {_f(entry, 'archiveprefix') or 'arXiv'}:{entry.fields['eprint']}."
    else:
        note = _f(entry, "note").replace("Data set, ", "")
        body = f"{title}[DS]. {_f(entry, 'howpublished')}." + (f" {note}." if note else "")
    return f"{head} {body}{doi}"


def format_entry(entry: Entry, lang: str, year: str | None = None) -> str:
    """One entry in the page's language; `year` may carry a letter (1998a) as in the citations."""
    return format_entry_zh(entry, year) if lang == "zh" else format_entry_en(entry, year)


def render_bibliography(bib: BibliographyData, keys: list[str], lang: str, as_list: bool) -> str:
    """Entries for `keys`, sorted by author and year, each anchored at its key."""
    lines = []
    for key in sorted(keys, key=lambda k: sort_key(bib, k)):
        text = format_entry(bib.entries[key], lang, year_labels(bib)[key])
        if as_list:
            lines.append(f"- {text}\n  {{: #{key} }}")
        else:
            lines.append(f"{text}\n{{: #{key} }}\n")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- the hook


def process_page(markdown: str, bib: BibliographyData, src_uri: str, lang: str) -> str:
    """Render citations and the bibliography marker of one page."""
    marker = MARKER_RE.search(markdown)
    whole = bool(marker and (marker["arg"] or "").strip() == "all")
    if marker and not whole:
        link = ""
    else:
        depth = src_uri.count("/")
        link = "../" * depth + REFERENCES_PAGE
        if src_uri.split("/")[-1].split(".")[0] == REFERENCES_PAGE.split(".")[0]:
            link = ""
    out, keys = cite(markdown, bib, lang, src_uri, link)
    if not marker:
        return out
    if whole:
        listing = render_bibliography(bib, list(bib.entries), lang, as_list=False)
    else:
        extra = KEY_RE.findall(marker["arg"] or "")
        for key in extra:
            if key not in bib.entries:
                raise UnknownKey(f"{src_uri}: unknown key '{key}' in the bibliography marker")
        listing = render_bibliography(bib, keys + [k for k in extra if k not in keys], lang, as_list=True)
    return MARKER_RE.sub(lambda _m: listing.rstrip("\n"), out, count=1)


_BIB: dict[str, BibliographyData] = {}


def on_config(config):  # noqa: ANN001, ANN201
    _BIB["bib"] = load_bibliography()
    return config


def on_page_markdown(markdown, page, config, files):  # noqa: ANN001, ANN201, ARG001
    bib = _BIB.get("bib") or load_bibliography()
    lang = page_language(page)
    return process_page(markdown, bib, page.file.src_uri, lang)
