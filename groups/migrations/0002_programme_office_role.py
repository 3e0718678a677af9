from django.contrib.auth.management import create_permissions
from django.db import migrations

# Written out, as the role stood when this migration made it: a migration must not import
# live code (groups.roles holds the role as the code means it now).
PROGRAMME_OFFICE = "Programme office"
GRANTED = [
    ("groups", "view_governancegroup"),
    ("groups", "change_group_status"),
    ("groups", "view_statuschange"),
    ("meetings", "view_meetingseries"),
    ("meetings", "view_cancellation"),
    ("meetings", "add_cancellation"),
    ("meetings", "change_cancellation"),
    ("meetings", "delete_cancellation"),
    ("meetings", "view_move"),
    ("meetings", "add_move"),
    ("meetings", "change_move"),
    ("meetings", "delete_move"),
    ("meetings", "view_oneoffmeeting"),
    ("meetings", "add_oneoffmeeting"),
    ("meetings", "change_oneoffmeeting"),
    ("meetings", "delete_oneoffmeeting"),
]


def create_role(apps, schema_editor):
    # Permissions are normally made after migrations; make them now so the role can hold them.
    for app_label in ("groups", "meetings"):
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    permission = apps.get_model("auth", "Permission")
    role, _ = apps.get_model("auth", "Group").objects.get_or_create(name=PROGRAMME_OFFICE)
    role.permissions.set(
        [
            permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in GRANTED
        ]
    )


def remove_role(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=PROGRAMME_OFFICE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("groups", "0001_initial"),
        ("meetings", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_role, remove_role)]
