"""The kinds of change-log entry, declared by the app whose changes they are.

Each app declares its kinds as a ``TextChoices`` and registers it here under a ``Category``
(what the change log's filter offers: governance, meetings, papers and records); an entry's
``kind`` is a plain string in the database, so a new kind needs no migration.
``record_change`` refuses a kind nobody registered.
"""

from django.db import models


class Category(models.TextChoices):
    """What a change is about, as the change log's filter offers it: the governance itself,
    meetings, or the papers and records a meeting leaves."""

    GOVERNANCE = "governance", "Governance changes"
    MEETINGS = "meetings", "Meetings"
    RECORDS = "records", "Papers and records"


_labels: dict[str, str] = {}
_categories: dict[str, Category] = {}


def register(category: Category):
    """Register an app's kinds (a ``TextChoices``) under ``category``, as a class decorator:
    ``@kinds.register(kinds.Category.MEETINGS)``; the decorator returns the class.

    Registering the same kind twice with the same label and category is harmless; a
    different label or category for a kind already registered is a mistake and refused.
    """
    if not isinstance(category, Category):
        raise TypeError(
            "kinds.register takes the kinds' category: @kinds.register(kinds.Category.MEETINGS)."
        )

    def decorate(enum_class):
        for value, label in enum_class.choices:
            known = _labels.get(value)
            if known is not None and known != str(label):
                raise ValueError(
                    f"Change kind {value!r} is already registered as {known!r}, not {label!r}."
                )
            if _categories.get(value, category) != category:
                raise ValueError(
                    f"Change kind {value!r} is already registered under "
                    f"{_categories[value].label!r}, not {category.label!r}."
                )
        for value, label in enum_class.choices:
            _labels[value] = str(label)
            _categories[value] = category
        return enum_class

    return decorate


def category(kind) -> Category | None:
    """The category a kind was registered under; None if unknown."""
    return _categories.get(str(kind))


def of_category(category: Category) -> list[str]:
    """Every kind registered under ``category``."""
    return sorted(kind for kind, found in _categories.items() if found == category)


def is_registered(kind) -> bool:
    return str(kind) in _labels


def label(kind) -> str:
    """How the change log names a kind ("Meeting cancelled"); the kind itself if unknown."""
    return _labels.get(str(kind), str(kind))


def all_kinds() -> list[tuple[str, str]]:
    """Every registered (kind, label), sorted by label: e.g. the admin's filter."""
    return sorted(_labels.items(), key=lambda item: item[1])
