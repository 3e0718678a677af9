"""Excerpts of the fallback and of the records excerpted in a sentence: a word of the query
matches at the start of a word, case-insensitively, however the source spells it."""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from groups.provenance import spellings

from .query import EXCERPT_WORDS


def word_pattern(word: str) -> re.Pattern:
    """A word matching at the start of a word, case-insensitively, however the source
    spells it ("owns" also matches the source's "Owens")."""
    alternatives = "|".join(re.escape(w) for w in spellings(word))
    return re.compile(r"(?<![^\W_])(?:" + alternatives + ")", re.IGNORECASE)


def highlight_excerpt(text: str, words: list[str]) -> SafeString:
    """About EXCERPT_WORDS words of ``text`` around its first match, escaped, each matching
    word in <mark>, with an ellipsis where the text was cut."""
    alternatives = [spelling for word in words for spelling in spellings(word)] or ["(?!)"]
    pattern = re.compile(
        r"(?<![^\W_])(?:" + "|".join(re.escape(w) for w in alternatives) + r")\w*",
        re.IGNORECASE,
    )
    tokens = list(re.finditer(r"\S+", text))
    if not tokens:
        return mark_safe("")
    first = next((i for i, t in enumerate(tokens) if pattern.search(t.group())), 0)
    begin = max(0, min(first - 8, len(tokens) - EXCERPT_WORDS))
    end = min(len(tokens), begin + EXCERPT_WORDS)
    window = text[tokens[begin].start() : tokens[end - 1].end()]
    parts, at = [], 0
    for match in pattern.finditer(window):
        parts.append(escape(window[at : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        at = match.end()
    parts.append(escape(window[at:]))
    html = "".join(parts)
    if begin > 0:
        html = "… " + html
    if end < len(tokens):
        html += " …"
    return mark_safe(html)  # escape()d text and literal <mark> tags
