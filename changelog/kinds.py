"""The kinds of change-log entry, declared by the app whose changes they are.

Each app declares its kinds as a ``TextChoices`` and registers it here; an entry's ``kind``
is a plain string in the database, so a new kind needs no migration. ``record_change``
refuses a kind nobody registered.
"""

_labels: dict[str, str] = {}


def register(enum_class):
    """Register an app's kinds (a ``TextChoices``); returns it, so it can decorate the class.

    Registering the same kind twice with the same label is harmless; a different label
    for a kind already registered is a mistake and refused.
    """
    for value, label in enum_class.choices:
        known = _labels.get(value)
        if known is not None and known != str(label):
            raise ValueError(
                f"Change kind {value!r} is already registered as {known!r}, not {label!r}."
            )
        _labels[value] = str(label)
    return enum_class


def is_registered(kind) -> bool:
    return str(kind) in _labels


def label(kind) -> str:
    """How the change log names a kind ("Meeting cancelled"); the kind itself if unknown."""
    return _labels.get(str(kind), str(kind))


def all_kinds() -> list[tuple[str, str]]:
    """Every registered (kind, label), sorted by label: e.g. the admin's filter."""
    return sorted(_labels.items(), key=lambda item: item[1])
