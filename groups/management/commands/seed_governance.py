from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from groups.seeding import FIXTURE_DIR, SeedError, governance_seed


class Command(BaseCommand):
    help = "Load the governance seed from fixtures/ into an empty database, in one transaction."

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
            answer = input(
                "This deletes every group, schedule and status change, including edits made "
                "in the admin, and loads the seed again. Type 'yes' to continue: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Reset cancelled; nothing was changed.")
        try:
            loaded = governance_seed(fixture_dir=Path(fixtures), reset=reset)
        except SeedError as exc:
            raise CommandError(f"Seeding failed; nothing was changed. {exc}") from exc
        if loaded == 0:
            self.stdout.write(
                "The database already holds governance groups; nothing was changed "
                "(use --reset to reload the seed)."
            )
        else:
            self.stdout.write(self.style.SUCCESS(f"Loaded {loaded} objects from the seed."))
