"""The change entry, moved here from groups with its table (groups_changeentry) as it is
after groups.0012: only the state is created."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("groups", "0012_changeentry_to_changelog"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ChangeEntry",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("recorded_at", models.DateTimeField(db_index=True)),
                        ("visible_at", models.DateTimeField(db_index=True)),
                        ("kind", models.CharField(max_length=30)),
                        (
                            "group_slug",
                            models.CharField(blank=True, db_index=True, max_length=50),
                        ),
                        ("group_name", models.CharField(blank=True, max_length=200)),
                        (
                            "workstream_slug",
                            models.CharField(blank=True, db_index=True, max_length=50),
                        ),
                        ("workstream_name", models.CharField(blank=True, max_length=50)),
                        ("summary", models.CharField(max_length=300)),
                        ("before", models.TextField(blank=True)),
                        ("after", models.TextField(blank=True)),
                        (
                            "url",
                            models.CharField(
                                help_text="The page to read more, as a path.", max_length=300
                            ),
                        ),
                        (
                            "subject",
                            models.CharField(
                                blank=True,
                                db_index=True,
                                help_text='What it changed, e.g. "series:psg/meeting": the '
                                "feed event it belongs to.",
                                max_length=200,
                            ),
                        ),
                        (
                            "reschedules",
                            models.BooleanField(
                                default=False,
                                help_text="It changed a meeting's dates, times or status (the "
                                "feed raises SEQUENCE).",
                            ),
                        ),
                        (
                            "by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name_plural": "change entries",
                        "db_table": "groups_changeentry",
                        "ordering": ["-visible_at", "-pk"],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
