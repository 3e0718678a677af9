from django.contrib.auth.management import create_permissions
from django.db import migrations

# The role's name written out, not imported from groups.roles: a migration must not
# import live code, which changes after it is written.
PROGRAMME_OFFICE = "Programme office"

# The role's permissions as this migration first granted them, written out: the live list
# (groups.roles) names models that did not exist yet at this point of the history.
PROGRAMME_OFFICE_RECORDS_PERMISSIONS = [
    ("records", "view_meetingrecord"),
    ("records", "add_meetingrecord"),
    ("records", "change_meetingrecord"),
    ("records", "delete_meetingrecord"),
    ("records", "view_document"),
    ("records", "add_document"),
    ("records", "change_document"),
    ("records", "delete_document"),
    ("records", "view_decision"),
    ("records", "add_decision"),
    ("records", "change_decision"),
    ("records", "delete_decision"),
    ("records", "view_action"),
    ("records", "add_action"),
    ("records", "change_action"),
    ("records", "delete_action"),
    ("records", "view_publicationdeadlines"),
    ("records", "add_publicationdeadlines"),
    ("records", "change_publicationdeadlines"),
    ("records", "delete_publicationdeadlines"),
]


def _permissions(apps):
    # Permissions are normally made after migrations; make them now so the role can hold them.
    app_config = apps.get_app_config("records")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    permission = apps.get_model("auth", "Permission")
    return [
        permission.objects.get(content_type__app_label=app, codename=codename)
        for app, codename in PROGRAMME_OFFICE_RECORDS_PERMISSIONS
    ]


def grant(apps, schema_editor):
    role, _ = apps.get_model("auth", "Group").objects.get_or_create(name=PROGRAMME_OFFICE)
    role.permissions.add(*_permissions(apps))


def revoke(apps, schema_editor):
    role = apps.get_model("auth", "Group").objects.filter(name=PROGRAMME_OFFICE).first()
    if role is not None:
        role.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0001_initial"),
        ("groups", "0002_programme_office_role"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
