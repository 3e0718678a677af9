"""The copy of the migrated and seeded test database (tests/database.py): made from every
file that migrating and seeding read, so a change to any of them makes a new one."""

import sqlite3
from contextlib import closing

import pytest
from django.db import connection

from tests import database


def make_project(base):
    for path, text in {
        "groups/__init__.py": "",
        "groups/migrations/0001_initial.py": "operations = []",
        "groups/migrations/__pycache__/0001_initial.cpython-311.pyc": "compiled",
        "groups/models.py.meta": "mutmut's results",
        "fixtures/governance.json": "[]",
        "tests/test_groups.py": "def test(): pass",
        "tests/database.py": "",
        "tests/settings.py": "",
        "tests/conftest.py": "",
        "README.md": "not read by a migration",
        "node_modules/axe-core/axe.min.js": "",
    }.items():
        (base / path).parent.mkdir(parents=True, exist_ok=True)
        (base / path).write_text(text)


def test_the_copy_is_made_from_the_packages_the_fixtures_and_the_test_settings(tmp_path):
    make_project(tmp_path)
    assert {str(path.relative_to(tmp_path)) for path in database._inputs(tmp_path)} == {
        "groups/__init__.py",
        "groups/migrations/0001_initial.py",
        "fixtures/governance.json",
        "tests/database.py",
        "tests/settings.py",
        "tests/conftest.py",
    }


@pytest.mark.parametrize(
    "changed", ["groups/migrations/0001_initial.py", "fixtures/governance.json"]
)
def test_a_changed_migration_or_fixture_makes_a_new_copy(tmp_path, settings, changed):
    make_project(tmp_path)
    settings.BASE_DIR = tmp_path
    before = database.copy_path()
    (tmp_path / changed).write_text("changed")
    assert database.copy_path() != before
    (tmp_path / "tests/test_groups.py").write_text("def test(): assert True")
    after = database.copy_path()
    assert after == database.copy_path()  # a test's own file is not read by migrating


def test_this_process_s_database_has_every_table_and_row_of_its_copy(db):
    if not (connection.vendor == "sqlite" and connection.is_in_memory_db()):
        pytest.skip("the copy is made on SQLite in memory only; this is not")
    copy = database.copy_path()
    assert copy.exists()
    with closing(sqlite3.connect(f"file:{copy}?mode=ro", uri=True)) as source:
        tables = [
            name
            for (name,) in source.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        counts = {t: source.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        assert [name for (name,) in cursor.fetchall()] == tables
        for table, count in counts.items():
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            assert cursor.fetchone()[0] == count, table
    assert counts["groups_governancegroup"] > 0  # seeded
