"""The data version, moved here from the directory with its table (directory_dataversion)
as it is after directory.0003: only the state is created."""

import core.models
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("directory", "0004_dataversion_to_operations"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="DataVersion",
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
                        ("version", models.PositiveBigIntegerField(default=0)),
                        ("changed_at", models.DateTimeField(default=core.models.clock_now)),
                        (
                            "facts_loaded_at",
                            models.DateTimeField(
                                blank=True,
                                help_text="When the source document's facts were last loaded "
                                "(the seed).",
                                null=True,
                            ),
                        ),
                    ],
                    options={"db_table": "directory_dataversion"},
                ),
            ],
            database_operations=[],
        ),
    ]
