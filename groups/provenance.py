"""Where each fact about a group comes from, said the same way on every surface.

A fact is either stated in a part of the source document, set by the programme office on a
date, or inferred by the directory for a reason given in a source note. Every surface that
shows an inferred fact says so in the same plain words (``INFERRED_LEAD``), and every
typing error of the source is kept as written, marked "[sic]", with its likely meaning.
"""

import re
from dataclasses import dataclass
from datetime import date

from django.db import models


class FactField(models.TextChoices):
    """A group's facts by their machine names: the JSON's keys."""

    NAME = "name", "name"
    LEVEL = "level", "level"
    KIND = "kind", "kind"
    WORKSTREAM = "workstream", "workstream"
    PARENT = "parent", "parent (reports to)"
    PURPOSE = "purpose", "purpose"
    ATTENDEES = "attendees", "attendees"
    ATTENDANCE = "attendance", "attendance"
    DECISION_MAKING = "decision_making", "decision-making"
    STATUS = "status", "status"
    TIMEFRAME = "timeframe", "timeframe"
    SCHEDULES = "schedules", "schedules"
    MAILBOX = "mailbox", "mailbox"


class Source(models.TextChoices):
    """Where a fact comes from: a part of the source document, the programme office, or
    the directory's own inference."""

    OVERVIEW = "overview", "the overview table (Overview for Level 2-4 Groups)"
    WEEK_TABLE = "week_table", "the monthly schedule by week of the month"
    DIAGRAM = "diagram", "the governance structure diagram"
    KEY = "key", "the diagram's key"
    FOOTNOTE = "footnote", "the diagram's footnote"
    CONTACT_LIST = "contact_list", "the Contact Us list"
    ESCALATION_TEXT = "escalation_text", "the query and escalation processes"
    PROGRAMME_OFFICE = "programme_office", "the programme office"
    INFERRED = "inferred", "inferred by the directory"


# How every surface opens an inferred fact, word for word.
INFERRED_LEAD = "Not stated in the source: we assume"
# The source document carries no date of its own.
SOURCE_UNDATED = "The source document is undated."


@dataclass(frozen=True)
class Provenance:
    """Where one fact of a group comes from. ``note`` is the source note giving the
    reason of an inference; ``on`` the date the programme office set the fact."""

    field: str
    source: str
    note: object = None
    on: date | None = None

    @property
    def inferred(self) -> bool:
        return self.source == Source.INFERRED

    @property
    def sentence(self) -> str:
        if self.source == Source.PROGRAMME_OFFICE:
            return f"Set by the programme office on {self.on:%-d %B %Y}."
        if self.inferred:
            return f"{INFERRED_LEAD} {self.note.assumption}."
        return f"As given in {Source(self.source).label}."


# The source's typing errors: (the words as written, the likely meaning, a pattern that
# matches the error only, so the same words elsewhere are left alone).
TYPOS = (
    ("Owens", "Owns", re.compile(r"\bOwens\b")),
    ("approved", "approve", re.compile(r"(?<=consult and )approved\b")),
    ("update-to-date", "up-to-date", re.compile(r"\bupdate-to-date\b")),
    ("1 st", "1st", re.compile(r"\b1 st\b")),
    ("2 nd", "2nd", re.compile(r"\b2 nd\b")),
    ("3 rd", "3rd", re.compile(r"\b3 rd\b")),
)
SIC = "[sic]"


@dataclass(frozen=True)
class Typo:
    written: str
    meaning: str
    end: int  # where the error ends in the text: the "[sic]" mark goes there


def typos_in(text: str) -> list[Typo]:
    """The source's typing errors in ``text``, in the order they occur."""
    found = [
        Typo(match.group(), meaning, match.end())
        for _, meaning, pattern in TYPOS
        for match in pattern.finditer(text or "")
    ]
    return sorted(found, key=lambda typo: typo.end)


def with_sic(text: str) -> str:
    """``text`` as written, each typing error followed by " [sic]": the plain form every
    surface without markup shows (JSON, CSV, feeds, search excerpts)."""
    if not text:
        return text
    out, at = [], 0
    for typo in typos_in(text):
        out.append(text[at : typo.end])
        out.append(f" {SIC}")
        at = typo.end
    out.append(text[at:])
    return "".join(out)


def sic_meanings(text: str) -> str:
    """The likely meanings, for a provenance note: '"Owens" [sic]: likely "Owns".'"""
    return " ".join(f"“{t.written}” {SIC}: likely “{t.meaning}”." for t in typos_in(text))


def spellings(word: str) -> list[str]:
    """A search word and the source's misspellings of it ("owns" -> "owns", "owens"), so a
    search finds the source's words whichever way they are spelled."""
    found = [word]
    for written, meaning, _ in TYPOS:
        if meaning.casefold() == word.casefold():
            found.append(written.casefold())
    return found
