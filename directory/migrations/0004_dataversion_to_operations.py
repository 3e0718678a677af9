"""The data version leaves the directory for the operations app: only the state moves; the
table (directory_dataversion) stays, owned by operations.0001."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0003_dataversion_facts_loaded_at"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="DataVersion")],
            database_operations=[],
        ),
    ]
