from django.contrib.auth.management import create_permissions
from django.db import migrations

from groups.roles import PROGRAMME_OFFICE, PROGRAMME_OFFICE_PERMISSIONS


def create_role(apps, schema_editor):
    # Permissions are normally made after migrations; make them now so the role can hold them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    role, _ = Group.objects.get_or_create(name=PROGRAMME_OFFICE)
    permissions = [
        Permission.objects.get(content_type__app_label=app, codename=codename)
        for app, codename in PROGRAMME_OFFICE_PERMISSIONS
    ]
    role.permissions.set(permissions)


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
