"""The "Programme office" role: exactly what the programme office needs, nothing more.

The role as the code means it now is each app's list, named by its AppConfig's
``programme_office_permissions`` (groups here; meetings.roles, records.roles,
representation.roles): ``role_permissions()`` reads them all. Migrations never read them (a
migration is frozen when written: each writes out the codenames it grants). How the role
gets a permission:

- One that a migration introduces (a new model, or a new ``Meta.permissions``): add it to its
  app's list, and ``grant_new_permissions`` (run after every ``migrate``: groups/apps.py)
  gives it to the role in the run that creates it. A permission that existed before the run
  is never given again, so one an administrator took away stays away.
- One that exists already: a data migration, with its codename written out.
"""

from django.apps import apps as registry

PROGRAMME_OFFICE = "Programme office"

# (app label, codename): change a group's status and note; see the status history.
PROGRAMME_OFFICE_GROUPS_PERMISSIONS = [
    ("groups", "view_governancegroup"),
    ("groups", "change_group_status"),
    ("groups", "view_statuschange"),
]


def role_permissions() -> list[tuple[str, str]]:
    """The role's permissions, every app's list together."""
    return [
        permission
        for config in registry.get_app_configs()
        for permission in getattr(config, "programme_office_permissions", ())
    ]


def programme_office_role_sync(group_model, permission_model):
    """Create the role if need be and give it exactly its permissions (for a database
    emptied by a test; a migrated database has the role from its migrations)."""
    role, _ = group_model.objects.get_or_create(name=PROGRAMME_OFFICE)
    role.permissions.set(
        [
            permission_model.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in role_permissions()
        ]
    )
    return role


def existing_permissions(apps, using) -> set[tuple[str, str]]:
    """Every permission the database holds, as (app label, codename); none before the
    auth app is migrated."""
    try:
        permission = apps.get_model("auth", "Permission")
    except LookupError:
        return set()
    return set(permission.objects.using(using).values_list("content_type__app_label", "codename"))


def grant_new_permissions(apps, using, app_config, existed_before) -> list[str]:
    """Give the role the permissions on ``app_config``'s list that did not exist before this
    migrate run (``existed_before``): those the run's migrations introduced. Returns the
    codenames given. Nothing without the role (an administrator may have deleted it)."""
    new = [
        codename
        for app, codename in getattr(app_config, "programme_office_permissions", ())
        if (app, codename) not in existed_before
    ]
    if not new:
        return []
    try:
        group = apps.get_model("auth", "Group")
        permission = apps.get_model("auth", "Permission")
    except LookupError:
        return []
    role = group.objects.using(using).filter(name=PROGRAMME_OFFICE).first()
    if role is None:
        return []
    granted = list(
        permission.objects.using(using).filter(
            content_type__app_label=app_config.label, codename__in=new
        )
    )
    role.permissions.add(*granted)
    return sorted(p.codename for p in granted)
