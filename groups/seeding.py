"""Load the seed's fixtures into the database: all of them, or nothing."""

import json
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import DatabaseError, transaction

from .models import GovernanceGroup

FIXTURE_DIR = Path(settings.BASE_DIR) / "fixtures"


class SeedError(Exception):
    """A fixture could not be loaded; nothing was written."""


def _describe(entry: dict) -> str:
    fields = entry.get("fields", {}) if isinstance(entry, dict) else {}
    key = next((fields[k] for k in ("slug", "key", "number") if k in fields), None)
    model = entry.get("model", "?") if isinstance(entry, dict) else "?"
    return f"{model} {key!r}" if key is not None else model


def _load_entry(path: Path, index: int, entry: dict) -> None:
    where = f"{path.name}, object {index} ({_describe(entry)})"
    try:
        (deserialized,) = serializers.deserialize(
            "json", json.dumps([entry]), ignorenonexistent=False
        )
        obj = deserialized.object
        obj.full_clean(validate_unique=False)
        obj.save()
        for name, values in (deserialized.m2m_data or {}).items():
            getattr(obj, name).set(values)
    except (serializers.base.DeserializationError, ValidationError, DatabaseError) as exc:
        raise SeedError(f"{where}: {exc}") from exc
    except (ObjectDoesNotExist, LookupError, ValueError, TypeError, KeyError) as exc:
        raise SeedError(f"{where}: {exc.__class__.__name__}: {exc}") from exc


def fixture_paths(fixture_dir: Path = FIXTURE_DIR) -> list[Path]:
    paths = sorted(fixture_dir.glob("*.json"))
    if not paths:
        raise SeedError(f"No fixtures found in {fixture_dir}.")
    return paths


def governance_seed(*, fixture_dir: Path = FIXTURE_DIR, reset: bool = False) -> int:
    """Load every fixture in one transaction and return the number of objects loaded.

    On a database that already holds groups, nothing changes unless ``reset`` is set,
    in which case the directory's data is deleted first. Raises SeedError naming the
    file and object when a fixture is broken, leaving the database as it was.
    """
    paths = fixture_paths(fixture_dir)
    entries = []
    for path in paths:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SeedError(f"{path.name}: not readable JSON: {exc}") from exc
        if not isinstance(data, list):
            raise SeedError(f"{path.name}: expected a list of objects.")
        entries.extend((path, index, entry) for index, entry in enumerate(data, 1))

    with transaction.atomic():
        if reset:
            _delete_all()
        elif GovernanceGroup.objects.exists():
            return 0
        for path, index, entry in entries:
            _load_entry(path, index, entry)
    return len(entries)


def _delete_all() -> None:
    from escalations.models import GuidanceSection, WorkedExample
    from meetings.models import MeetingSeries, OneOffMeeting

    from .models import Level, Mailbox, SourceNote, StatusChange, Workstream

    WorkedExample.objects.all().delete()
    GuidanceSection.objects.all().delete()
    OneOffMeeting.objects.all().delete()
    MeetingSeries.objects.all().delete()
    SourceNote.objects.all().delete()
    StatusChange.objects.all().delete()
    GovernanceGroup.replaced_by.through.objects.all().delete()
    # Children before parents: PROTECT on parent forbids deleting a parent first.
    while GovernanceGroup.objects.exists():
        GovernanceGroup.objects.filter(children__isnull=True).delete()
    Workstream.objects.all().delete()
    Mailbox.objects.all().delete()
    Level.objects.all().delete()
