"""List, and with --delete remove, stored document files that no document points to."""

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand

from core import clock
from records.models import PendingFileRemoval
from records.storage import SWEEP_MIN_AGE, sweep, unreferenced_files


class Command(BaseCommand):
    help = (
        "List stored document files that no document points to (orphans, and removals "
        "queued when storage failed); with --delete, remove those over an hour old."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--delete", action="store_true", help="Remove them (all but the recent ones)."
        )

    def handle(self, *args, delete=False, **options):
        files = unreferenced_files(default_storage, now=clock.now())
        stored = {file.name for file in files}
        for file in files:
            notes = [note for note, on in (("queued", file.queued), ("recent", file.recent)) if on]
            self.stdout.write(
                f"unreferenced {file.name}" + (f" ({', '.join(notes)})" if notes else "")
            )
        for name in PendingFileRemoval.objects.exclude(name__in=stored).values_list(
            "name", flat=True
        ):
            self.stdout.write(f"queued, no longer stored {name}")
        if not delete:
            self.stdout.write(f"{len(files)} unreferenced files. Run with --delete to remove them.")
            return
        removed = sweep(default_storage, files)
        kept = len(files) - len(removed)
        minutes = int(SWEEP_MIN_AGE.total_seconds() // 60)
        self.stdout.write(
            f"Removed {len(removed)} files; kept {kept} stored in the last {minutes} minutes "
            "(perhaps uploads being saved)."
        )
