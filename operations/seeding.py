"""Load the seed's fixtures into the database: every missing row, or nothing.

Seeding never edits: a row that exists (found by its natural key) is left exactly as it
is, whatever the seed says, so admin edits survive every start. ``reset`` is the only way
back to the seed: it deletes the directory's data first.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import DatabaseError, transaction

from changelog.models import ChangeEntry
from changelog.services import paused
from escalations.models import GuidanceSection, WorkedExample
from groups.models import (
    GovernanceGroup,
    Level,
    Mailbox,
    SourceNote,
    StatusChange,
    Workstream,
)
from meetings.models import MeetingSeries, OneOffMeeting
from records.models import DeadlinePolicy, Decision, MeetingRecord
from representation.models import Seat

from .services import facts_loaded_record

FIXTURE_DIR = Path(settings.BASE_DIR) / "fixtures"


class SeedError(Exception):
    """A fixture could not be loaded; nothing was written."""


def _describe(entry: dict) -> str:
    fields = entry.get("fields", {}) if isinstance(entry, dict) else {}
    key = next((fields[k] for k in ("slug", "key", "number") if k in fields), None)
    model = entry.get("model", "?") if isinstance(entry, dict) else "?"
    return f"{model} {key!r}" if key is not None else model


def _insert_if_missing(path: Path, index: int, entry: dict) -> bool:
    """Insert the entry unless a row with its natural key exists; True if inserted."""
    where = f"{path.name}, object {index} ({_describe(entry)})"
    try:
        (deserialized,) = serializers.deserialize(
            "json", json.dumps([entry]), ignorenonexistent=False
        )
        obj = deserialized.object
        if obj.pk is not None and type(obj)._default_manager.filter(pk=obj.pk).exists():
            return False  # the natural key found a stored row: never change it
        obj.full_clean(validate_unique=False)
        obj.save(force_insert=True)
        for name, values in (deserialized.m2m_data or {}).items():
            getattr(obj, name).set(values)
    except (serializers.base.DeserializationError, ValidationError, DatabaseError) as exc:
        raise SeedError(f"{where}: {exc}") from exc
    except (ObjectDoesNotExist, LookupError, ValueError, TypeError, KeyError) as exc:
        raise SeedError(f"{where}: {exc.__class__.__name__}: {exc}") from exc
    return True


def fixture_paths(fixture_dir: Path = FIXTURE_DIR) -> list[Path]:
    paths = sorted(fixture_dir.glob("*.json"))
    if not paths:
        raise SeedError(f"No fixtures found in {fixture_dir}.")
    return paths


def _read_entries(fixture_dir: Path) -> list[tuple[Path, int, dict]]:
    entries = []
    for path in fixture_paths(fixture_dir):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SeedError(f"{path.name}: not readable JSON: {exc}") from exc
        if not isinstance(data, list):
            raise SeedError(f"{path.name}: expected a list of objects.")
        entries.extend((path, index, entry) for index, entry in enumerate(data, 1))
    return entries


def governance_seed(*, fixture_dir: Path = FIXTURE_DIR, reset: bool = False) -> int:
    """Insert every seed row that is missing, in one transaction; return how many.

    Rows that exist are never changed. With ``reset``, the directory's data (admin edits
    included) is deleted first, so the whole seed is loaded again. Raises SeedError naming
    the file and object when a fixture is broken, leaving the database as it was.
    """
    entries = _read_entries(fixture_dir)
    with transaction.atomic(), paused():  # loading the seed is not a change
        if reset:
            governance_data_delete()
        inserted = sum(_insert_if_missing(path, index, entry) for path, index, entry in entries)
        if inserted:
            facts_loaded_record()
        return inserted


def governance_data_delete() -> None:
    """Delete the directory's data: every group, schedule, note, mailbox and level.

    Refused (``SeedError``) while meeting records exist: they are the programme office's
    own work, not the seed's, and a reset must not lose them.
    """
    kept = MeetingRecord.objects.count() + Decision.objects.count() + Seat.objects.count()
    if kept:
        raise SeedError(
            f"The database holds {kept} meeting records, decisions and seats, which the seed does "
            "not have: a reset would delete them. Delete them in the admin first, or keep "
            "the data and run seed_governance without --reset."
        )
    DeadlinePolicy.objects.all().delete()
    WorkedExample.objects.all().delete()
    GuidanceSection.objects.all().delete()
    OneOffMeeting.objects.all().delete()
    MeetingSeries.objects.all().delete()
    SourceNote.objects.all().delete()
    StatusChange.objects.all().delete()
    GovernanceGroup.replaced_by.through.objects.all().delete()
    # Parents are protected from deletion while children point at them: cut every link
    # first, so the delete neither depends on the shape of the hierarchy nor loops on it.
    GovernanceGroup.objects.update(parent=None)
    GovernanceGroup.objects.all().delete()
    ChangeEntry.objects.all().delete()
    Workstream.objects.all().delete()
    Mailbox.objects.all().delete()
    Level.objects.all().delete()
