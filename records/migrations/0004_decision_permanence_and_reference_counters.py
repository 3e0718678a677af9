# Published decisions stay (a reason for each change of status; a superuser's removal kept as
# a 410) and references come from a counter row locked while a new one is numbered.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0005_updated_at_from_the_clock"),
        ("records", "0003_document_public_from_now"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="decision",
            name="status_reason",
            field=models.TextField(
                blank=True,
                help_text="Why it was withdrawn or superseded: required then, shown on its "
                "page and in the change log.",
                verbose_name="reason for the status",
            ),
        ),
        migrations.AlterField(
            model_name="decision",
            name="published_at",
            field=models.DateTimeField(
                blank=True,
                help_text="UK time. Blank: a draft, seen only here. Once public a decision "
                "stays public: withdraw it or mark it superseded instead.",
                null=True,
                verbose_name="published",
            ),
        ),
        migrations.CreateModel(
            name="ReferenceCounter",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("year", models.PositiveSmallIntegerField()),
                (
                    "kind",
                    models.CharField(
                        choices=[("decision", "Decision"), ("action", "Action")], max_length=10
                    ),
                ),
                ("last", models.PositiveIntegerField(default=0)),
                (
                    "group",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="groups.governancegroup",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("group", "year", "kind"), name="reference_counter"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="RemovedDecision",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("reference", models.CharField(max_length=40, unique=True)),
                ("removed_at", models.DateTimeField()),
                (
                    "group",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="groups.governancegroup",
                    ),
                ),
                (
                    "removed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={"ordering": ["-removed_at"]},
        ),
    ]
