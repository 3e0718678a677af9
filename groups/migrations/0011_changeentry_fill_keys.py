"""Existing entries: visible when they were recorded, and their group and workstream named
by slug and name (the group's acronym, else its name, as the log shows it) from the
foreign key that 0012 drops."""

from django.db import migrations


def fill(apps, schema_editor):
    ChangeEntry = apps.get_model("groups", "ChangeEntry")
    for entry in ChangeEntry.objects.select_related("group__workstream").order_by("pk").iterator():
        entry.visible_at = entry.recorded_at
        group = entry.group
        if group is not None:
            entry.group_slug = group.slug
            entry.group_name = group.acronym or group.name
            if group.workstream is not None:
                entry.workstream_slug = group.workstream.slug
                entry.workstream_name = group.workstream.name
        entry.save(
            update_fields=[
                "visible_at",
                "group_slug",
                "group_name",
                "workstream_slug",
                "workstream_name",
            ]
        )


def unfill(apps, schema_editor):
    ChangeEntry = apps.get_model("groups", "ChangeEntry")
    GovernanceGroup = apps.get_model("groups", "GovernanceGroup")
    groups = dict(GovernanceGroup.objects.values_list("slug", "pk"))
    for entry in ChangeEntry.objects.exclude(group_slug="").order_by("pk").iterator():
        entry.group_id = groups.get(entry.group_slug)
        entry.save(update_fields=["group"])


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0010_changeentry_times_and_keys"),
    ]

    operations = [migrations.RunPython(fill, unfill)]
