"""The "Programme office" role: exactly what the programme office needs, nothing more."""

PROGRAMME_OFFICE = "Programme office"

# (app label, codename): change a group's status and note; manage single meetings.
PROGRAMME_OFFICE_PERMISSIONS = [
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


def programme_office_role_sync(group_model, permission_model):
    """Create the role if need be and give it exactly its permissions.

    Takes the model classes so that a migration can pass its historical models.
    """
    role, _ = group_model.objects.get_or_create(name=PROGRAMME_OFFICE)
    role.permissions.set(
        [
            permission_model.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in PROGRAMME_OFFICE_PERMISSIONS
        ]
    )
    return role
