"""The bibliography is data: ``docs_src/references.bib`` rendered by ``hooks/bib.py``.

Source-level tests, no site build: the hook's functions are called directly,
on the book's pages and on small fixtures written here. Expected citations
and entries are written out by hand from the conventions the hook documents
(author–date in English; 等, 和 and full-width punctuation in Chinese; GB/T
7714 entries on Chinese pages), not copied from its output.
"""

from __future__ import annotations

import importlib.util
import re
import sys
import unicodedata
from pathlib import Path
from types import ModuleType, SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def _load_hook() -> ModuleType:
    spec = importlib.util.spec_from_file_location("book_bib_hook", ROOT / "hooks" / "bib.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


bib = _load_hook()

FIXTURE_BIB = r"""
@article{solo2001,
  author  = {Solo, Ann B.},
  year    = {2001},
  title   = {One author},
  journal = {Journal of Tests},
  volume  = {3},
  number  = {4},
  pages   = {5--16},
  doi     = {10.1000/solo}
}
@book{alpha2002,
  author    = {Alpha, C. and Beta, D. E.},
  year      = {2002},
  title     = {Two Authors},
  edition   = {2},
  publisher = {Test Press}
}
@inproceedings{gamma2003,
  author    = {Gamma, F. and Delta, G. and Epsilon, H.},
  year      = {2003},
  title     = {Three authors},
  booktitle = {Proceedings of Testing},
  pages     = {7--9}
}
@article{vandeven2020,
  author  = {van de Ven, G. M. and Tolias, A. S.},
  year    = {2020},
  title   = {A particle},
  journal = {J},
  volume  = {1},
  pages   = {2}
}
@article{twin1998a,
  author  = {Twin, A. and Other, B. and Third, C.},
  year    = {1998},
  title   = {Alpha title},
  journal = {J},
  volume  = {1},
  pages   = {1}
}
@article{twin1998b,
  author  = {Twin, A. and Else, D. and Fourth, E.},
  year    = {1998},
  title   = {Beta title},
  journal = {J},
  volume  = {1},
  pages   = {2}
}
"""


@pytest.fixture(scope="module")
def tiny_bib(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    path = tmp_path_factory.mktemp("bib") / "refs.bib"
    path.write_text(FIXTURE_BIB, encoding="utf-8")
    return bib.load_bibliography(path)


@pytest.fixture(scope="module")
def book_bib():  # noqa: ANN201
    return bib.load_bibliography()


def cite_en(text: str, tiny_bib) -> str:  # noqa: ANN001
    return bib.cite(text, tiny_bib, "en", "page.md", "references.md")[0]


def cite_zh(text: str, tiny_bib) -> str:  # noqa: ANN001
    return bib.cite(text, tiny_bib, "zh", "page.zh.md", "references.md")[0]


# ------------------------------------------------------------ rendering


@pytest.mark.parametrize(
    ("source", "english", "chinese"),
    [
        # one author
        ("[@solo2001]", "([Solo 2001](references.md#solo2001))", "（[Solo，2001](references.md#solo2001)）"),
        ("@solo2001", "[Solo (2001)](references.md#solo2001)", "[Solo（2001）](references.md#solo2001)"),
        # two authors: "&" in parentheses, "and" in running text; 和 in Chinese
        (
            "[@alpha2002]",
            "([Alpha & Beta 2002](references.md#alpha2002))",
            "（[Alpha 和 Beta，2002](references.md#alpha2002)）",
        ),
        (
            "@alpha2002",
            "[Alpha and Beta (2002)](references.md#alpha2002)",
            "[Alpha 和 Beta（2002）](references.md#alpha2002)",
        ),
        # three or more: et al. / 等
        (
            "[@gamma2003]",
            "([Gamma et al. 2003](references.md#gamma2003))",
            "（[Gamma 等，2003](references.md#gamma2003)）",
        ),
        ("@gamma2003", "[Gamma et al. (2003)](references.md#gamma2003)", "[Gamma 等（2003）](references.md#gamma2003)"),
        # a name particle stays lowercase and part of the surname
        (
            "by @vandeven2020",
            "by [van de Ven and Tolias (2020)](references.md#vandeven2020)",
            "by [van de Ven 和 Tolias（2020）](references.md#vandeven2020)",
        ),
    ],
)
def test_one_two_and_three_authors_in_both_languages(source: str, english: str, chinese: str, tiny_bib) -> None:  # noqa: ANN001
    assert cite_en(source, tiny_bib) == english
    assert cite_zh(source, tiny_bib) == chinese


def test_a_name_particle_is_capitalised_at_the_start_of_a_sentence(tiny_bib) -> None:  # noqa: ANN001
    assert cite_en("Known. @vandeven2020 showed", tiny_bib).startswith("Known. [Van de Ven and Tolias (2020)]")
    assert cite_en("as @vandeven2020 showed", tiny_bib).startswith("as [van de Ven and Tolias (2020)]")
    assert cite_zh("。@vandeven2020 表明", tiny_bib).startswith("。[van de Ven 和 Tolias（2020）]")


def test_several_works_in_one_parenthesis(tiny_bib) -> None:  # noqa: ANN001
    assert cite_en("[@solo2001; @gamma2003]", tiny_bib) == (
        "([Solo 2001](references.md#solo2001); [Gamma et al. 2003](references.md#gamma2003))"
    )
    assert cite_zh("[@solo2001; @gamma2003]", tiny_bib) == (
        "（[Solo，2001](references.md#solo2001)；[Gamma 等，2003](references.md#gamma2003)）"
    )


def test_locators_prefixes_and_remarks(tiny_bib) -> None:  # noqa: ANN001
    assert cite_en("[@gamma2003, p. 12]", tiny_bib) == "([Gamma et al. 2003, p. 12](references.md#gamma2003))"
    assert cite_zh("[@gamma2003，第 12 页]", tiny_bib) == "（[Gamma 等，2003，第 12 页](references.md#gamma2003)）"
    assert cite_en("@gamma2003 [table 2.1]", tiny_bib) == "[Gamma et al. (2003, table 2.1)](references.md#gamma2003)"
    assert cite_zh("@gamma2003 [表 2.1]", tiny_bib) == "[Gamma 等（2003，表 2.1）](references.md#gamma2003)"
    assert cite_en("[see @solo2001]", tiny_bib) == "(see [Solo 2001](references.md#solo2001))"
    assert cite_en("lost [@solo2001]: some", tiny_bib) == "lost ([Solo 2001](references.md#solo2001)): some"
    assert cite_en("[GPT-3; @solo2001]", tiny_bib) == "(GPT-3; [Solo 2001](references.md#solo2001))"


def test_chinese_spacing_around_full_width_parentheses(tiny_bib) -> None:  # noqa: ANN001
    # No space between Chinese text and a full-width parenthesis on either side;
    # the space between Chinese text and a Latin name stays.
    assert cite_zh("网络 [@solo2001]。", tiny_bib) == "网络（[Solo，2001](references.md#solo2001)）。"
    assert cite_zh("如 @solo2001 所示", tiny_bib) == "如 [Solo（2001）](references.md#solo2001)所示"


def test_same_names_and_year_get_letters_in_title_order(tiny_bib) -> None:  # noqa: ANN001
    # Both would read "Twin et al. 1998"; "Alpha title" sorts before "Beta title".
    assert cite_en("[@twin1998b; @twin1998a]", tiny_bib) == (
        "([Twin et al. 1998b](references.md#twin1998b); [Twin et al. 1998a](references.md#twin1998a))"
    )


def test_code_urls_and_addresses_are_left_alone(tiny_bib) -> None:  # noqa: ANN001
    text = (
        "Inline `[@solo2001]` and `@solo2001`, mail someone@solo2001.org, see https://example.org/@solo2001 "
        "and <https://example.org/[@solo2001]>.\n\n"
        "```python\nx = '[@solo2001]'  # @solo2001\n```\n\n"
        "!!! note\n\n    ~~~text\n    @solo2001\n    ~~~\n"
    )
    assert cite_en(text, tiny_bib) == text
    # ...while prose around them is still converted
    assert cite_en("`x` @solo2001 `y`", tiny_bib) == "`x` [Solo (2001)](references.md#solo2001) `y`"


def test_a_markdown_link_whose_text_starts_with_at_is_not_a_citation(tiny_bib) -> None:  # noqa: ANN001
    assert cite_en("[@solo2001](https://example.org)", tiny_bib) == "[@solo2001](https://example.org)"


# ------------------------------------------------------------ entries


def test_entries_in_english_and_chinese_conventions(tiny_bib) -> None:  # noqa: ANN001
    e = tiny_bib.entries
    assert bib.format_entry(e["solo2001"], "en") == (
        "Solo, Ann B. (2001). One author. *Journal of Tests*, 3(4), 5–16. doi:10.1000/solo"
    )
    assert bib.format_entry(e["solo2001"], "zh") == (
        "SOLO A B, 2001. One author[J]. Journal of Tests, 3(4): 5-16. DOI:10.1000/solo."
    )
    assert (
        bib.format_entry(e["alpha2002"], "en")
        == "Alpha, C., & Beta, D. E. (2002). *Two Authors* (2nd ed.). Test Press."
    )
    assert bib.format_entry(e["alpha2002"], "zh") == "ALPHA C, BETA D E, 2002. Two Authors[M]. 2nd ed. Test Press."
    assert bib.format_entry(e["gamma2003"], "en") == (
        "Gamma, F., Delta, G., & Epsilon, H. (2003). Three authors. *Proceedings of Testing*, 7–9."
    )
    assert bib.format_entry(e["gamma2003"], "zh") == (
        "GAMMA F, DELTA G, EPSILON H, 2003. Three authors[C]//Proceedings of Testing: 7-9."
    )


def test_a_page_list_holds_exactly_the_works_the_page_cites_sorted_and_anchored(tiny_bib) -> None:  # noqa: ANN001
    page = "Text @gamma2003 and [@solo2001; @alpha2002].\n\n## References {#references}\n\n<!-- bibliography -->\n"
    out = bib.process_page(page, tiny_bib, "page.md", "en")
    # citations link to the page's own list
    assert "[Gamma et al. (2003)](#gamma2003)" in out
    listing = out.split("{#references}\n\n", 1)[1]
    anchors = re.findall(r"\{: #(\w+) \}", listing)
    assert anchors == ["alpha2002", "gamma2003", "solo2001"]  # Alpha < Gamma < Solo
    assert listing.startswith("- Alpha, C., & Beta, D. E. (2002).")
    assert "twin1998a" not in listing and "vandeven2020" not in listing


def test_the_marker_can_add_works_cited_only_in_generated_output(tiny_bib) -> None:  # noqa: ANN001
    page = "Text @gamma2003.\n\n<!-- bibliography: solo2001 -->\n"
    out = bib.process_page(page, tiny_bib, "page.md", "en")
    assert re.findall(r"\{: #(\w+) \}", out) == ["gamma2003", "solo2001"]


def test_the_references_page_lists_every_entry_under_its_key(tiny_bib) -> None:  # noqa: ANN001
    out = bib.process_page("# References\n\n<!-- bibliography: all -->\n", tiny_bib, "references.zh.md", "zh")
    anchors = re.findall(r"\{: #(\w+) \}", out)
    assert sorted(anchors) == sorted(tiny_bib.entries)
    # ordered by the authors' surnames in turn (Twin, Else before Twin, Other), van de Ven under V
    assert anchors == ["alpha2002", "gamma2003", "solo2001", "twin1998b", "twin1998a", "vandeven2020"]
    assert "VAN DE VEN G M, TOLIAS A S, 2020. A particle[J]. J, 1: 2." in out
    # the letters of the citations appear in the entries too
    assert "TWIN A, OTHER B, THIRD C, 1998a. Alpha title[J]." in out
    assert "Twin, A., Else, D., & Fourth, E. (1998b). Beta title." in bib.process_page(
        "<!-- bibliography: all -->", tiny_bib, "references.md", "en"
    )


# ------------------------------------------------------------ the build stops


def test_an_unknown_key_raises_and_names_page_and_key(tiny_bib) -> None:  # noqa: ANN001
    for text in ("See [@nosuch1999].", "As @nosuch1999 showed.", "[@solo2001; @nosuch1999]"):
        with pytest.raises(PluginError, match=r"chapter\.zh\.md.*nosuch1999"):
            bib.process_page(text, tiny_bib, "chapter.zh.md", "zh")
    with pytest.raises(PluginError, match=r"chapter\.md.*nosuch1999"):
        bib.process_page("<!-- bibliography: nosuch1999 -->\n", tiny_bib, "chapter.md", "en")


def test_the_mkdocs_event_raises_plugin_error_for_an_unknown_key(book_bib) -> None:  # noqa: ANN001
    page = SimpleNamespace(file=SimpleNamespace(src_uri="hopfield.zh.md", locale="zh"))
    bib.on_config({})
    assert "Hopfield（1982）" in bib.on_page_markdown("见 @hopfield1982。", page, {}, None)
    with pytest.raises(PluginError, match=r"hopfield\.zh\.md.*@hopfield1892"):
        bib.on_page_markdown("见 @hopfield1892。", page, {}, None)


# ------------------------------------------------------------ the checks over the book


def test_an_entry_cited_nowhere_is_found(tiny_bib, tmp_path: Path) -> None:  # noqa: ANN001
    (tmp_path / "a.md").write_text("@solo2001 and [@alpha2002; @gamma2003]\n", encoding="utf-8")
    (tmp_path / "a.zh.md").write_text("@twin1998a\n\n<!-- bibliography: twin1998b -->\n", encoding="utf-8")
    (tmp_path / "references.md").write_text("<!-- bibliography: all -->\n", encoding="utf-8")
    (tmp_path / "code.md").write_text("```\n@vandeven2020\n```\n", encoding="utf-8")  # code does not cite
    assert bib.uncited_entries(tiny_bib, tmp_path) == ["vandeven2020"]


def test_every_entry_of_the_book_is_cited_somewhere(book_bib) -> None:  # noqa: ANN001
    assert bib.uncited_entries(book_bib, DOCS) == []


HAND_WRITTEN = [
    "as shown by Hopfield (1982).",
    "the capacity (Hopfield 1982).",
    "Amit et al. (1985) computed",
    "(Amit, Gutfreund & Sompolinsky 1985)",
    "Bi and Poo (2001) showed",
    "(Hertz et al. 1991, chapter 2)",
    "Amit 等（1985）算出",
    "（Hopfield，1982）",
    "（Bi 和 Poo，2001）",
    "Markram 等人（1997）发现",
]
NOT_CITATIONS = [
    "In 1953 the surgeon removed",
    "**The perceptron (1958).** Rosenblatt described",
    "The 2012 ImageNet result",
    "`Hopfield (1982)` in code",
    "1943 年那篇论文",
]


@pytest.mark.parametrize("text", HAND_WRITTEN)
def test_a_citation_typed_by_hand_is_found(text: str, book_bib) -> None:  # noqa: ANN001
    assert bib.hand_written_citations(text, book_bib), text


@pytest.mark.parametrize("text", NOT_CITATIONS)
def test_years_that_are_not_citations_are_not_flagged(text: str, book_bib) -> None:  # noqa: ANN001
    assert bib.hand_written_citations(text, book_bib) == []


def _pages() -> list[Path]:
    return sorted(DOCS.glob("*.md"))


@pytest.mark.parametrize("path", _pages(), ids=lambda p: p.name)
def test_pages_cite_by_key_only(path: Path, book_bib) -> None:  # noqa: ANN001
    found = bib.hand_written_citations(path.read_text(encoding="utf-8"), book_bib)
    assert found == [], f"{path.name}: write these as [@key] or @key: {found}"


@pytest.mark.parametrize("path", _pages(), ids=lambda p: p.name)
def test_every_key_a_page_cites_exists(path: Path, book_bib) -> None:  # noqa: ANN001
    unknown = [k for k in bib.page_keys(path.read_text(encoding="utf-8")) if k not in book_bib.entries]
    assert unknown == [], f"{path.name} cites keys missing from docs_src/references.bib: {unknown}"


@pytest.mark.parametrize("path", [p for p in _pages() if not p.name.endswith(".zh.md")], ids=lambda p: p.name)
def test_both_languages_cite_the_same_works(path: Path) -> None:
    twin = path.with_name(path.name[: -len(".md")] + ".zh.md")
    en = set(bib.page_keys(path.read_text(encoding="utf-8")))
    zh = set(bib.page_keys(twin.read_text(encoding="utf-8")))
    assert en == zh, f"only in English: {sorted(en - zh)}; only in Chinese: {sorted(zh - en)}"


@pytest.mark.parametrize("path", _pages(), ids=lambda p: p.name)
def test_a_references_section_is_generated(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    heading = re.search(r"^## .*\{#references\}[ \t]*\n", text, re.M)
    if not heading:
        return
    rest = text[heading.end() :].lstrip("\n")
    assert bib.MARKER_RE.match(rest.splitlines()[0]), f"{path.name}: the line under References must be the marker"
    assert not re.match(r"^\s*[-*] ", rest.split("\n", 1)[1] if "\n" in rest else ""), "hand-written list left"


# ------------------------------------------------------------ the book's own data


def _ascii_key(surname: str) -> str:
    # Independent of the hook: strip accents, map the letters NFKD keeps, keep a-z.
    surname = surname.replace("ø", "o").replace("ł", "l")
    return re.sub(r"[^a-z]", "", unicodedata.normalize("NFKD", surname).encode("ascii", "ignore").decode().lower())


def test_keys_are_first_author_and_year(book_bib) -> None:  # noqa: ANN001
    for key, entry in book_bib.entries.items():
        persons = entry.persons.get("author") or entry.persons.get("editor")
        first = persons[0]
        expected = _ascii_key(" ".join(first.prelast_names + first.last_names)) + entry.fields["year"]
        assert re.fullmatch(re.escape(expected) + "[a-z]?", key), (key, expected)


def test_the_review_corrections_are_in_the_data(book_bib) -> None:  # noqa: ANN001
    oja = book_bib.entries["oja1982"].fields
    assert oja["title"] == "Simplified neuron model as a principal component analyzer"
    assert (oja["journal"], oja["volume"], oja["pages"]) == ("Journal of Mathematical Biology", "15", "267--273")
    fa = book_bib.entries["lillicrap2016"]
    assert [str(p) for p in fa.persons["author"]][:2] == ["Lillicrap, T. P.", "Cownden, D."]
    assert (fa.fields["journal"], fa.fields["volume"], fa.fields["pages"]) == ("Nature Communications", "7", "13276")
    assert "bliss1973" in book_bib.entries
    # feedback alignment is cited to the 2016 paper in both languages
    for name in ("artificial-neurons.md", "artificial-neurons.zh.md"):
        text = (DOCS / name).read_text(encoding="utf-8")
        assert re.search(r"feedback alignment[^\n]{0,40}@lillicrap2016", text), name
