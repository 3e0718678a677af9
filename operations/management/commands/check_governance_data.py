from django.core.management.base import BaseCommand, CommandError

from groups.models import SourceNote
from operations.integrity import governance_data_problems


class Command(BaseCommand):
    help = "Check the governance data's integrity and list source differences and inferences."

    def handle(self, *args, **options):
        notes = SourceNote.objects.select_related("group").order_by("kind", "slug")
        self.stdout.write(f"Source notes ({notes.count()}):")
        for note in notes:
            where = note.group.short_name if note.group else "programme"
            self.stdout.write(
                f"  [{note.get_kind_display()}] {where}, {note.fact}: {note.explanation}"
            )
        problems = governance_data_problems()
        if problems:
            for problem in problems:
                self.stderr.write(f"ERROR {problem}")
            raise CommandError(f"{len(problems)} integrity problem(s) found.")
        self.stdout.write(self.style.SUCCESS("Integrity checks passed."))
