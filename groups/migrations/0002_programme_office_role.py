from django.contrib.auth.management import create_permissions
from django.db import migrations

from groups.roles import PROGRAMME_OFFICE, programme_office_role_sync


def create_role(apps, schema_editor):
    # Permissions are normally made after migrations; make them now so the role can hold them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    programme_office_role_sync(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


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
