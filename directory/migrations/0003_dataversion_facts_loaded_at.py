from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0002_data_version_from_the_clock"),
    ]

    operations = [
        migrations.AddField(
            model_name="dataversion",
            name="facts_loaded_at",
            field=models.DateTimeField(
                blank=True,
                help_text="When the source document's facts were last loaded (the seed).",
                null=True,
            ),
        ),
    ]
