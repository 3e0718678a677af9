"""The Programme office role across migrations: frozen grants, and new permissions given
once after ``migrate`` (groups/apps.py, groups.roles.grant_new_permissions)."""

import sqlite3
from contextlib import closing

from django.apps import apps as registry
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal

from groups.roles import PROGRAMME_OFFICE, role_permissions
from tests.serving import template_database

NEW = ("records", "view_deadlinepolicy")  # stands for a permission a new migration brings


def held(role) -> set[tuple[str, str]]:
    return set(role.permissions.values_list("content_type__app_label", "codename"))


def introduce(app_label, codename) -> None:
    """Make the database as it was before the migration that introduces the permission:
    without it (and so without the role holding it)."""
    Permission.objects.get(content_type__app_label=app_label, codename=codename).delete()


def test_a_fresh_migrate_makes_the_role_with_exactly_its_permissions():
    # `manage.py migrate --noinput` run on a new SQLite file, in a process of its own, once
    # in the test run (tests/serving.py starts its servers on copies of it).
    database = template_database(seed=False)
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as connection:
        rows = connection.execute(
            "SELECT t.app_label, p.codename FROM auth_group g"
            " JOIN auth_group_permissions gp ON gp.group_id = g.id"
            " JOIN auth_permission p ON p.id = gp.permission_id"
            " JOIN django_content_type t ON t.id = p.content_type_id WHERE g.name = ?",
            [PROGRAMME_OFFICE],
        ).fetchall()
    assert set(rows) == set(role_permissions())


def test_a_permission_a_migration_introduces_is_granted_once(db):
    role = Group.objects.get(name=PROGRAMME_OFFICE)
    introduce(*NEW)
    assert NEW not in held(role)
    call_command("migrate", verbosity=0)
    assert NEW in held(role)
    assert held(role) == set(role_permissions())

    # An administrator takes it away: the next migrate leaves it away.
    role.permissions.remove(Permission.objects.get(codename=NEW[1]))
    call_command("migrate", verbosity=0)
    assert NEW not in held(role)
    assert held(role) == set(role_permissions()) - {NEW}


def test_a_permission_taken_away_is_never_given_back(db):
    role = Group.objects.get(name=PROGRAMME_OFFICE)
    taken = ("groups", "change_group_status")
    role.permissions.remove(Permission.objects.get(codename=taken[1]))
    call_command("migrate", verbosity=0)
    assert taken not in held(role)


def test_a_new_permission_outside_the_role_is_not_granted(db):
    role = Group.objects.get(name=PROGRAMME_OFFICE)
    outside = ("groups", "delete_governancegroup")
    assert outside not in role_permissions()
    introduce(*outside)
    call_command("migrate", verbosity=0)
    assert Permission.objects.filter(codename=outside[1]).exists()
    assert outside not in held(role)


def test_without_the_role_nothing_is_made(db):
    Group.objects.filter(name=PROGRAMME_OFFICE).delete()
    introduce(*NEW)
    call_command("migrate", verbosity=0)
    assert not Group.objects.filter(name=PROGRAMME_OFFICE).exists()


def test_a_flush_grants_nothing(db):
    """post_migrate without a migrate (as ``flush`` sends it) has no run to compare with."""
    role = Group.objects.get(name=PROGRAMME_OFFICE)
    introduce(*NEW)
    call_command("migrate", verbosity=0)  # a run that ends: its note is dropped
    role.permissions.clear()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert held(role) == set()
    assert registry.get_app_config("groups").permissions_before_migrate == {}
