from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from representation.imports import ImportRefused, import_representatives


class Command(BaseCommand):
    help = (
        "Import constituencies, seats and representatives from a CSV file (columns group, "
        "constituency, seats, role, name, organisation, from, to, and optionally "
        "alternate_for). All or nothing: any bad row refuses the whole file."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file, **options):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        try:
            outcome = import_representatives(data)
        except ImportRefused as refused:
            for error in refused.errors:
                self.stderr.write(error)
            raise CommandError(
                f"{file}: not imported, {len(refused.errors)} error"
                f"{'s' if len(refused.errors) != 1 else ''}; nothing was stored."
            ) from None
        for warning in outcome.warnings:
            self.stderr.write(f"Warning: {warning}")
        self.stdout.write(f"{file}: {outcome.summary()}")
