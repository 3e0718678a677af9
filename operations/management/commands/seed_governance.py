import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations.seeding import FIXTURE_DIR, SeedError, governance_seed

CONFIRM = "yes"


class Command(BaseCommand):
    help = (
        "Insert the governance seed's missing rows from fixtures/, in one transaction; "
        "rows that exist are never changed. --reset reloads the seed over admin edits."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the directory's data (including admin edits) and load the seed again.",
        )
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation of --reset.",
        )
        parser.add_argument("--fixtures", default=str(FIXTURE_DIR), help="Fixture folder.")

    def handle(self, *args, reset=False, interactive=True, fixtures=None, **options):
        if reset and interactive:
            self._confirm_reset()
        try:
            inserted = governance_seed(fixture_dir=Path(fixtures), reset=reset)
        except SeedError as exc:
            raise CommandError(f"Seeding failed; nothing was changed. {exc}") from exc
        if inserted == 0:
            self.stdout.write(
                "Every seed row is already stored; nothing was changed "
                "(seeding never edits a stored row; use --reset to reload the seed)."
            )
        else:
            self.stdout.write(self.style.SUCCESS(f"Inserted {inserted} missing seed rows."))

    def _confirm_reset(self):
        if not sys.stdin.isatty():
            raise CommandError(
                "--reset deletes admin edits and needs confirmation: run it in a terminal, "
                "or add --noinput.",
                returncode=2,
            )
        answer = input(
            "This deletes every group, schedule and status change, including edits made "
            f"in the admin, and loads the seed again. Type '{CONFIRM}' to continue: "
        )
        if answer.strip().lower() != CONFIRM:
            raise CommandError("Reset cancelled; nothing was changed.")
