# Deadlines only where the programme office sets them: a group's publication deadlines
# become policies from a date (none until one is set), and a document gets the date it was
# first published, here or elsewhere.
#
# Existing documents keep "first published" blank, which means the day they are public here:
# what their lateness was judged on until now. A group's existing publication deadlines were
# set by the programme office without a date: they become a policy from the day of this
# migration, so no meeting before it is judged. The Programme office role's permissions are
# written out here, not read from groups.roles, which changes with the code.

import concurrency.fields
import django.db.models.deletion
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models
from django.utils import timezone

import core.models

PROGRAMME_OFFICE = "Programme office"
GRANTED = [
    "view_deadlinepolicy",
    "add_deadlinepolicy",
    "change_deadlinepolicy",
    "delete_deadlinepolicy",
]
RETIRED = [
    "view_publicationdeadlines",
    "add_publicationdeadlines",
    "change_publicationdeadlines",
    "delete_publicationdeadlines",
]


def _records_permissions(apps, codenames):
    # Permissions are normally made after migrations; make them now so the role can hold them.
    app_config = apps.get_app_config("records")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    permission = apps.get_model("auth", "Permission")
    return list(
        permission.objects.filter(content_type__app_label="records", codename__in=codenames)
    )


def policies_from_deadlines(apps, schema_editor):
    old = apps.get_model("records", "PublicationDeadlines")
    policy = apps.get_model("records", "DeadlinePolicy")
    # The day the migration runs, read from Django, not from core.clock: a migration must
    # not import live code, which changes after it is written. Only a database holding
    # deadlines from before policies had dates has rows here, and for it "from the day of
    # this migration" is the truth; the project's clock is pinned in tests only, where a
    # fresh database has no such rows.
    today = timezone.localdate()
    for row in old.objects.all():
        policy.objects.create(
            group_id=row.group_id,
            effective_from=today,
            agenda_before=row.agenda_before,
            papers_before=row.papers_before,
            headline_report_after=row.headline_report_after,
            minutes_after=row.minutes_after,
        )
    role = apps.get_model("auth", "Group").objects.filter(name=PROGRAMME_OFFICE).first()
    if role is not None:
        role.permissions.add(*_records_permissions(apps, GRANTED))
        role.permissions.remove(*_records_permissions(apps, RETIRED))


def deadlines_from_policies(apps, schema_editor):
    """Back: each group's latest policy becomes its publication deadlines."""
    old = apps.get_model("records", "PublicationDeadlines")
    policy = apps.get_model("records", "DeadlinePolicy")
    for row in policy.objects.order_by("group_id", "effective_from"):
        old.objects.update_or_create(
            group_id=row.group_id,
            defaults={
                "agenda_before": row.agenda_before,
                "papers_before": row.papers_before,
                "headline_report_after": row.headline_report_after,
                "minutes_after": row.minutes_after,
            },
        )
    role = apps.get_model("auth", "Group").objects.filter(name=PROGRAMME_OFFICE).first()
    if role is not None:
        role.permissions.add(*_records_permissions(apps, RETIRED))
        role.permissions.remove(*_records_permissions(apps, GRANTED))


def forget_retired_permissions(apps, schema_editor):
    """The deleted model's content type and permissions (what remove_stale_contenttypes
    would delete)."""
    apps.get_model("contenttypes", "ContentType").objects.filter(
        app_label="records", model="publicationdeadlines"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("groups", "0005_updated_at_from_the_clock"),
        ("records", "0004_decision_permanence_and_reference_counters"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="document",
            name="first_published",
            field=models.DateField(
                blank=True,
                help_text="The UK date it was first published, here or elsewhere: earlier than “public from” for a paper added here after the event. Blank: the day it is public here. Deadlines are judged on this date; a paper added after the event is never shown as late.",
                null=True,
                verbose_name="first published",
            ),
        ),
        migrations.CreateModel(
            name="DeadlinePolicy",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "version",
                    concurrency.fields.AutoIncVersionField(
                        default=0, help_text="Raised by every save; a stale form is refused."
                    ),
                ),
                (
                    "updated_at",
                    models.DateTimeField(
                        default=core.models.clock_now,
                        editable=False,
                        help_text="Set by every save, from the clock.",
                    ),
                ),
                (
                    "effective_from",
                    models.DateField(
                        help_text="The first meeting date these deadlines apply to: today or later. Earlier meetings keep the policy before this one, if any. To change deadlines from a date, add a new policy from that date.",
                        verbose_name="for meetings from",
                    ),
                ),
                (
                    "agenda_before",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        help_text="Blank: no deadline for this kind. Suggestion (the REC portal's practice, not applied unless you enter it): 5.",
                        null=True,
                        verbose_name="agenda: working days before",
                    ),
                ),
                (
                    "papers_before",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        help_text="Blank: no deadline for this kind. Suggestion (the REC portal's practice, not applied unless you enter it): 5.",
                        null=True,
                        verbose_name="papers: working days before",
                    ),
                ),
                (
                    "headline_report_after",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        help_text="Blank: no deadline for this kind. Suggestion (the REC portal's practice, not applied unless you enter it): 2.",
                        null=True,
                        verbose_name="headline report: working days after",
                    ),
                ),
                (
                    "minutes_after",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        help_text="Blank: no deadline for this kind. Suggestion (the REC portal's practice, not applied unless you enter it): 5.",
                        null=True,
                        verbose_name="minutes: working days after",
                    ),
                ),
                (
                    "group",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="deadline_policies",
                        to="groups.governancegroup",
                    ),
                ),
                (
                    "updated_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "deadline policy",
                "verbose_name_plural": "deadline policies",
                "ordering": ["group__name", "effective_from"],
            },
        ),
        migrations.RunPython(policies_from_deadlines, deadlines_from_policies),
        migrations.DeleteModel(
            name="PublicationDeadlines",
        ),
        migrations.RunPython(forget_retired_permissions, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="deadlinepolicy",
            constraint=models.UniqueConstraint(
                fields=("group", "effective_from"), name="deadline_policy_one_per_date"
            ),
        ),
    ]
