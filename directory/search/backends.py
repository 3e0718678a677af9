"""The two ways site-wide search runs: ``site_search`` picks one by database.

- PostgreSQL: full-text search (``django.contrib.postgres.search``, config "english"): the
  words are stemmed and matched as prefixes, ranked by ``ts_rank`` and excerpted by
  ``ts_headline``.
- Any other database (SQLite): a portable fallback. Rows with any word in any field are
  read in one query per kind, and scored and excerpted in Python: a word matches at the
  start of a word, case-insensitively ("design" matches "Design" and "designs").

Excerpts are HTML: the text is escaped and only the matching words are wrapped in
``<mark>``. The text is never trusted: PostgreSQL marks matches with a random token that
is replaced after escaping.
"""

import operator
import secrets
from dataclasses import replace
from functools import reduce

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Replace
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core import clock
from groups.provenance import spellings, with_sic

from .dates import parse_when
from .excerpts import highlight_excerpt, word_pattern
from .meetings import MEETING_WORDS, meeting_results, named_groups, naming_words
from .query import (
    EXACT_BONUS,
    EXCERPT_WORDS,
    KIND_ORDER,
    KINDS,
    MAX_RESULTS,
    NAMED_GROUP_BONUS,
    Kind,
    Result,
    phrase,
    query_words,
)

SEARCH_CONFIG = "english"
# PostgreSQL's default ts_rank weights; the fallback scores with the same ones.
WEIGHTS = {"A": 1.0, "B": 0.4, "C": 0.2, "D": 0.1}
# In the fallback, a word counts at most this many times in one field.
MAX_OCCURRENCES = 3


def site_search(query: str) -> list[Result]:
    """Every record matching ``query`` and the meetings of a group it names, best first,
    at most MAX_RESULTS; one query per kind of record and a constant few for meetings
    (meetings.py), none for an empty query. ``dates.BadDate`` for a date that does not
    exist ("31 February")."""
    words = query_words(query)
    if not words:
        return []
    now = clock.now()
    when = parse_when(query, today=timezone.localdate(now))
    groups = named_groups(naming_words(query, when))
    if groups:  # "when does SITWG meet": "meet" asks for its meetings, it is not searched for
        words = [w for w in words if w not in MEETING_WORDS] or words
    if connection.vendor == "postgresql":
        results = _postgres_search(words, phrase(query))
    else:
        results = _portable_search(words, phrase(query))
    meetings = meeting_results(groups, when, words, now=now)
    named = {group.get_absolute_url() for group in groups}
    results = [
        replace(r, score=r.score + NAMED_GROUP_BONUS) if r.kind == "Group" and r.url in named else r
        for r in results
    ]
    results += meetings
    results.sort(key=lambda r: (-r.score, KIND_ORDER[r.kind], r.title.casefold()))
    return results[:MAX_RESULTS]


# PostgreSQL ---------------------------------------------------------------------------


def _vector_source(kind: Kind, field: str):
    expression = F(field)
    if field in kind.split:
        for mark in (".", "@", "/"):
            expression = Replace(expression, Value(mark), Value(" "))
    return expression


def _prefix_query(alternative: str) -> str:
    """One spelling as a raw tsquery whose last word is a prefix; a spelling of several
    words (the source's "1 st") is a phrase: "1 <-> st:*"."""
    return " <-> ".join(alternative.split()) + ":*"


def _postgres_search(words: list[str], phrase: str) -> list[Result]:
    # Each word a prefix ("sitw" finds SITWG), stemmed by the "english" configuration.
    # The words are runs of letters and digits, so none carries the raw syntax's operators.
    # A word the source misspells is looked for as written too ("owns" finds "Owens").
    query = reduce(
        operator.or_,
        (
            SearchQuery(_prefix_query(alternative), config=SEARCH_CONFIG, search_type="raw")
            for word in words
            for alternative in spellings(word)
        ),
    )
    start, stop = f"searchstart{secrets.token_hex(8)}", f"searchstop{secrets.token_hex(8)}"
    results = []
    for kind in KINDS:
        vector = reduce(
            operator.add,
            (
                SearchVector(_vector_source(kind, field), config=SEARCH_CONFIG, weight=weight)
                for field, weight in kind.fields.items()
            ),
        )
        exact = reduce(
            operator.or_, (Q(**{f"{field}__iexact": phrase}) for field in kind.exact), Q()
        )
        bonus = (
            Case(When(exact, then=Value(EXACT_BONUS)), default=Value(0.0))
            if kind.exact
            else Value(0.0)
        )
        headlines = {
            f"headline_{field}": SearchHeadline(
                field,
                query,
                config=SEARCH_CONFIG,
                start_sel=start,
                stop_sel=stop,
                max_words=EXCERPT_WORDS,
                min_words=15,
                short_word=2,
            )
            for field in kind.excerpt
        }
        rows = (
            kind.queryset()
            .annotate(search_vector=vector)
            .filter(search_vector=query)
            .annotate(score=SearchRank(F("search_vector"), query) + bonus, **headlines)
            .order_by("-score", "pk")[:MAX_RESULTS]
        )
        for row in rows:
            if kind.describe is not None:
                excerpt = highlight_excerpt(kind.describe(row), words)
            else:
                excerpt = _headline_excerpt(
                    [
                        (getattr(row, field), getattr(row, f"headline_{field}"))
                        for field in kind.excerpt
                    ],
                    start,
                    stop,
                )
            results.append(
                Result(kind.label, kind.title(row), kind.url(row), excerpt, float(row.score))
            )
    return results


def _headline_excerpt(texts: list[tuple[str, str]], start: str, stop: str) -> SafeString:
    """The first headline with a match (else the first non-empty one), escaped, with the
    markers turned into <mark> and an ellipsis where the text was cut."""
    candidates = [(text, headline or "") for text, headline in texts if text and text.strip()]
    if not candidates:
        return mark_safe("")
    text, headline = next(((t, h) for t, h in candidates if start in h), candidates[0])
    text, headline = " ".join(text.split()), " ".join(headline.split())
    plain = headline.replace(start, "").replace(stop, "")
    html = escape(headline).replace(start, "<mark>").replace(stop, "</mark>")
    if plain and not text.startswith(plain[:30]):
        html = "… " + html
    if plain and not text.endswith(plain[-30:]):
        html += " …"
    return mark_safe(with_sic(html))  # escape()d text, literal <mark> tags and " [sic]"


# Portable fallback (SQLite) -------------------------------------------------------------


def score_fields(
    values: dict[str, str],
    fields: dict[str, str],
    words: list[str],
    *,
    exact: tuple[str, ...] = (),
    phrase: str = "",
) -> float:
    """The fallback's score of one record, 0 when no word matches.

    Each word scores the weights of the fields it occurs in, once per occurrence (at most
    MAX_OCCURRENCES a field); the sum, shared over the query's words, is scaled by the
    share of the words found, so a record with more of the words ranks higher. A field in
    ``exact`` equal to the whole query adds EXACT_BONUS.
    """
    if not words:
        return 0.0
    found, total = 0, 0.0
    for word in words:
        pattern = word_pattern(word)
        word_score = sum(
            WEIGHTS[weight] * min(len(pattern.findall(values.get(field) or "")), MAX_OCCURRENCES)
            for field, weight in fields.items()
        )
        if word_score:
            found += 1
            total += word_score
    if not found:
        return 0.0
    score = total / len(words) * (found / len(words))
    if phrase and any((values.get(field) or "").casefold() == phrase.casefold() for field in exact):
        score += EXACT_BONUS
    return score


def _portable_search(words: list[str], phrase: str) -> list[Result]:
    results = []
    for kind in KINDS:
        candidates = reduce(
            operator.or_,
            (
                Q(**{f"{field}__icontains": alternative})
                for field in kind.fields
                for word in words
                for alternative in spellings(word)
            ),
        )
        for row in kind.queryset().filter(candidates).order_by():
            values = {field: getattr(row, field) for field in kind.fields}
            score = score_fields(values, kind.fields, words, exact=kind.exact, phrase=phrase)
            if not score:
                continue  # "dip" inside "BDIP": not at the start of a word
            if kind.describe is not None:
                excerpt = highlight_excerpt(kind.describe(row), words)
            else:
                texts = [values[f] for f in kind.excerpt if values[f] and values[f].strip()]
                excerpt_source = next(
                    (t for t in texts if any(word_pattern(w).search(t) for w in words)),
                    texts[0] if texts else "",
                )
                excerpt = highlight_excerpt(with_sic(excerpt_source), words)
            results.append(Result(kind.label, kind.title(row), kind.url(row), excerpt, score))
    return results
