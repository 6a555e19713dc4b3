"""The book's languages and the rule that gives a page its language, defined once.

The build hooks (``hooks/``), :mod:`nnbook` and the tests import these names
instead of keeping their own copies. The list must match the ``languages`` of
the ``i18n`` plugin in ``mkdocs.yml``: :func:`check_i18n_languages` is called
by ``hooks/book.py`` in ``on_config`` and stops the build when they differ.

Pages follow mkdocs-static-i18n's ``suffix`` layout: ``X.md`` is the default
language (English), ``X.<lang>.md`` is language ``<lang>``; the default
language lives at the site root and every other language under ``<lang>/``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

__all__ = [
    "DEFAULT_LANGUAGE", "LANGUAGES", "check_i18n_languages", "format_date", "language_of", "page_language",
    "site_prefix", "source_name",
]

LANGUAGES: tuple[str, ...] = ("en", "zh")
DEFAULT_LANGUAGE = LANGUAGES[0]


def language_of(src_uri: str) -> str:
    """The language of a source file from its name: ``x.zh.md`` is Chinese, ``x.md`` the default language."""
    for language in LANGUAGES[1:]:
        if src_uri.endswith(f".{language}.md"):
            return language
    return DEFAULT_LANGUAGE


def page_language(page: Any) -> str:
    """The language a page is built in: the i18n plugin's ``file.locale``, else the file name's suffix."""
    locale = getattr(page.file, "locale", None)
    return locale if locale in LANGUAGES else language_of(page.file.src_uri)


def source_name(src_uri: str) -> str:
    """The page's name without language suffix and extension: ``a/b.zh.md`` -> ``a/b``."""
    for language in LANGUAGES[1:]:
        suffix = f".{language}.md"
        if src_uri.endswith(suffix):
            return src_uri[: -len(suffix)]
    return src_uri[: -len(".md")] if src_uri.endswith(".md") else src_uri


def site_prefix(language: str) -> str:
    """Where a language lives in the site: ``""`` for the default language, ``"zh/"`` for Chinese."""
    if language not in LANGUAGES:
        raise ValueError(f"`language` must be one of {LANGUAGES}; got {language!r}.")
    return "" if language == DEFAULT_LANGUAGE else f"{language}/"


_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December")


def format_date(iso_date: str, language: str) -> str:
    """A ``YYYY-MM-DD`` date as a reader of ``language`` writes it: ``December 2, 2026`` or ``2026年12月2日``."""
    if language not in LANGUAGES:
        raise ValueError(f"`language` must be one of {LANGUAGES}; got {language!r}.")
    date = dt.date.fromisoformat(iso_date)
    if language == "zh":
        return f"{date.year}年{date.month}月{date.day}日"
    return f"{_MONTHS_EN[date.month - 1]} {date.day}, {date.year}"


def check_i18n_languages(configured: Iterable[Any]) -> list[str]:
    """Problems with the i18n plugin's ``languages`` setting (empty when it matches :data:`LANGUAGES`)."""
    entries = list(configured)
    locales = tuple(entry["locale"] if isinstance(entry, dict) else entry.locale for entry in entries)
    problems = []
    if locales != LANGUAGES:
        problems.append(f"the i18n plugin builds {locales}, but nnbook.languages.LANGUAGES is {LANGUAGES}")
    defaults = [
        (entry["locale"] if isinstance(entry, dict) else entry.locale)
        for entry in entries
        if (entry.get("default") if isinstance(entry, dict) else getattr(entry, "default", False))
    ]
    if defaults and defaults != [DEFAULT_LANGUAGE]:
        problems.append(f"the i18n plugin's default language is {defaults}, expected {DEFAULT_LANGUAGE!r}")
    return problems
