"""The change entry leaves groups for the changelog app: its foreign key to the group goes
(0011 copied it to stable keys), its kind is a plain string (each app declares its kinds),
and the model leaves this app's state; the table stays, owned by changelog.0001."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0011_changeentry_fill_keys"),
    ]

    operations = [
        migrations.RemoveField(model_name="changeentry", name="group"),
        migrations.AlterField(
            model_name="changeentry",
            name="visible_at",
            field=models.DateTimeField(db_index=True),
        ),
        migrations.AlterField(
            model_name="changeentry",
            name="kind",
            field=models.CharField(max_length=30),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ChangeEntry")],
            database_operations=[],
        ),
    ]
