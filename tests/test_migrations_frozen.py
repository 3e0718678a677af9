"""A migration is frozen when it is written: it imports no live code of the project, which
changes after it. Only ``import <app>.models`` and ``import <app>.validators`` stay, as Django
writes them for a field's callable (``default=core.models.clock_now``, ``upload_to=...``,
``validators=[core.validators.no_control_characters]``), which the model names too."""

import ast
from importlib import import_module
from pathlib import Path

from django.apps import apps as registry
from django.conf import settings

from groups.models import SourceNote

ROOT = Path(settings.BASE_DIR)


def project_imports(path: Path) -> list[str]:
    """The project modules ``path`` imports other than as Django writes a field's callable."""
    project = {package.parent.name for package in ROOT.glob("*/__init__.py")}
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
        elif isinstance(node, ast.Import):
            names = [
                alias.name
                for alias in node.names
                if not alias.name.endswith((".models", ".validators"))
            ]
        else:
            continue
        found += [name for name in names if name.split(".")[0] in project]
    return found


def test_no_migration_imports_live_code():
    migrations = sorted(ROOT.glob("*/migrations/0*.py"))
    assert len(migrations) > 20
    offending = {
        str(path.relative_to(ROOT)): imported
        for path in migrations
        if (imported := project_imports(path))
    }
    assert offending == {}


def built_codenames(path: Path) -> bool:
    """Whether a migration that grants permissions builds codenames (an f-string or a
    comprehension) instead of writing them out."""
    tree = ast.parse(path.read_text())
    grants = any(
        isinstance(node, ast.Constant) and node.value == "Permission" for node in ast.walk(tree)
    )
    # The lists a migration grants from are its module's constants.
    constants = [node.value for node in tree.body if isinstance(node, ast.Assign)]
    built = any(
        isinstance(node, ast.JoinedStr | ast.ListComp | ast.GeneratorExp)
        for value in constants
        for node in ast.walk(value)
    )
    return grants and built


def test_permission_grants_in_migrations_are_written_out():
    granting = [
        path
        for path in sorted(ROOT.glob("*/migrations/0*.py"))
        if '"Permission"' in path.read_text()
    ]
    assert len(granting) >= 4
    assert [str(path.relative_to(ROOT)) for path in granting if built_codenames(path)] == []


def test_the_check_sees_built_codenames(tmp_path):
    migration = tmp_path / "0009_example.py"
    migration.write_text(
        'P = apps.get_model("auth", "Permission")\nX = [f"{v}_thing" for v in ("add", "view")]\n'
    )
    assert built_codenames(migration)


def test_the_check_sees_a_live_import(tmp_path):
    migration = tmp_path / "0009_example.py"
    migration.write_text(
        "import core.models\nimport core.validators\nfrom core import clock\n"
        "from groups.roles import X\nimport groups.roles\n"
    )
    assert project_imports(migration) == ["core", "groups.roles", "groups.roles"]


def test_ofgems_old_note_reaches_the_seeds_through_0007_and_0008(seeded):
    """A database seeded before provenance had Ofgem's note name its status; 0007 rewrites
    it to the seed's note (attendance only) and 0008 leaves it so."""
    seed = SourceNote.objects.get(slug="ofgem-facts")
    SourceNote.objects.filter(pk=seed.pk).update(
        fact="status, attendance and decision-making",
        explanation="The source document shows Ofgem only as the level-1 Sponsor. Its status "
        "(mobilised), closed attendance and decision-making are assumed from that role.",
    )
    for name in ("0007_provenance_fields", "0008_status_timeline"):
        import_module(f"groups.migrations.{name}").forwards(registry, None)
    note = SourceNote.objects.get(pk=seed.pk)
    assert (note.fact, note.explanation) == (seed.fact, seed.explanation)
    assert "status" not in note.explanation
