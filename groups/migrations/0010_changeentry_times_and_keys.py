"""The change entry gets its two times (recorded, visible) and names its group and
workstream by stable keys, ahead of moving to the changelog app (0011, 0012)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0009_workstream_mailbox_notes"),
    ]

    operations = [
        migrations.RenameField(model_name="changeentry", old_name="at", new_name="recorded_at"),
        migrations.AlterModelOptions(
            name="changeentry",
            options={"ordering": ["-recorded_at", "-pk"], "verbose_name_plural": "change entries"},
        ),
        migrations.AddField(
            model_name="changeentry",
            name="visible_at",
            field=models.DateTimeField(db_index=True, null=True),
        ),
        migrations.AddField(
            model_name="changeentry",
            name="group_slug",
            field=models.CharField(blank=True, db_index=True, default="", max_length=50),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="changeentry",
            name="group_name",
            field=models.CharField(blank=True, default="", max_length=200),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="changeentry",
            name="workstream_slug",
            field=models.CharField(blank=True, db_index=True, default="", max_length=50),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="changeentry",
            name="workstream_name",
            field=models.CharField(blank=True, default="", max_length=50),
            preserve_default=False,
        ),
    ]
