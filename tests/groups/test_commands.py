import json
import os
import shutil
import signal
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from escalations.models import GuidanceSection, WorkedExample
from groups.models import GovernanceGroup, Mailbox, Workstream
from operations.seeding import FIXTURE_DIR


def test_seed_loads_everything(empty_db):
    out = StringIO()
    call_command("seed_governance", stdout=out)
    assert "Inserted" in out.getvalue()
    assert GovernanceGroup.objects.count() == 22


def test_seeding_twice_changes_nothing(seeded):
    before = list(GovernanceGroup.objects.values())
    out = StringIO()
    call_command("seed_governance", stdout=out)
    assert "nothing was changed" in out.getvalue()
    assert list(GovernanceGroup.objects.values()) == before


def test_seeding_after_an_edit_keeps_the_edit(seeded):
    dag = GovernanceGroup.objects.get(slug="dag")
    dag.status = "mobilised"
    dag.status_note = "Meeting again"
    dag.save()
    call_command("seed_governance", stdout=StringIO())
    dag.refresh_from_db()
    assert (dag.status, dag.status_note) == ("mobilised", "Meeting again")


def test_reset_with_noinput_reloads_the_seed(seeded):
    GovernanceGroup.objects.filter(slug="dag").update(status_note="edited")
    call_command("seed_governance", "--reset", "--noinput", stdout=StringIO())
    assert GovernanceGroup.objects.get(slug="dag").status_note.startswith("Email update")
    assert GovernanceGroup.objects.count() == 22


@pytest.mark.parametrize("answer", ["no", "n", "", "y", "ok", "yess"])
def test_reset_goes_ahead_only_on_yes(seeded, monkeypatch, answer):
    GovernanceGroup.objects.filter(slug="dag").update(status_note="kept")
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: answer)
    with pytest.raises(CommandError, match="Reset cancelled"):
        call_command("seed_governance", "--reset", stdout=StringIO())
    assert GovernanceGroup.objects.get(slug="dag").status_note == "kept"


def test_reset_on_yes_reloads_the_seed(seeded, monkeypatch):
    GovernanceGroup.objects.filter(slug="dag").update(status_note="edited")
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: " Yes ")
    call_command("seed_governance", "--reset", stdout=StringIO())
    assert GovernanceGroup.objects.get(slug="dag").status_note.startswith("Email update")


def test_reset_without_a_terminal_needs_noinput(seeded, monkeypatch):
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    monkeypatch.setattr("builtins.input", lambda prompt: pytest.fail("must not ask"))
    with pytest.raises(CommandError, match="add --noinput") as error:
        call_command("seed_governance", "--reset", stdout=StringIO())
    assert error.value.returncode == 2


def test_reset_without_a_terminal_exits_2_with_one_line(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "seed_governance", "--reset"],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'none.sqlite3'}"},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "CommandError: --reset deletes admin edits and needs confirmation: run it in a "
        "terminal, or add --noinput."
    ]


def test_reset_completes_when_the_parents_form_a_cycle(seeded):
    def too_slow(signum, frame):
        raise TimeoutError("--reset did not finish: it loops on the cycle")

    groups = GovernanceGroup.objects
    groups.filter(slug="psg").update(parent=groups.get(slug="sitwg"))
    previous = signal.signal(signal.SIGALRM, too_slow)
    signal.alarm(120)  # a loop never ends; a loaded machine has taken over 20 s to finish
    try:
        call_command("seed_governance", "--reset", "--noinput", stdout=StringIO())
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert groups.get(slug="psg").parent.slug == "ofgem"
    assert groups.count() == 22


def test_plain_seed_never_changes_a_stored_row_of_any_model(seeded):
    """With the groups gone but mailboxes, workstreams and guidance kept and edited, plain
    seeding inserts the groups again and leaves every edited row as it is."""
    WorkedExample.objects.all().delete()
    GovernanceGroup.objects.update(parent=None)
    GovernanceGroup.objects.all().delete()
    Mailbox.objects.filter(slug="pmo").update(purpose="edited purpose")
    Workstream.objects.filter(slug="design").update(name="Design (edited)")
    GuidanceSection.objects.update(body="edited body")
    out = StringIO()
    call_command("seed_governance", stdout=out)
    assert "Inserted" in out.getvalue()
    assert GovernanceGroup.objects.count() == 22
    assert Mailbox.objects.get(slug="pmo").purpose == "edited purpose"
    assert Workstream.objects.get(slug="design").name == "Design (edited)"
    assert set(GuidanceSection.objects.values_list("body", flat=True)) == {"edited body"}


def test_plain_seed_inserts_a_missing_row_only(seeded):
    GovernanceGroup.objects.filter(slug="psg").update(status_note="edited")
    Mailbox.objects.filter(slug="ppc").delete()
    call_command("seed_governance", stdout=StringIO())
    assert Mailbox.objects.get(slug="ppc").address == "PPC@mhhsprogramme.co.uk"
    assert GovernanceGroup.objects.get(slug="psg").status_note == "edited"


def _broken_copy(tmp_path: Path, mutate) -> Path:
    target = tmp_path / "fixtures"
    shutil.copytree(FIXTURE_DIR, target)
    path = target / "04_groups.json"
    data = json.loads(path.read_text())
    mutate(data)
    path.write_text(json.dumps(data))
    return target


def test_broken_fixture_names_file_and_object_and_changes_nothing(empty_db, tmp_path):
    def break_status(data):
        data[5]["fields"]["status"] = "asleep"

    fixtures = _broken_copy(tmp_path, break_status)
    with pytest.raises(CommandError) as error:
        call_command("seed_governance", "--fixtures", str(fixtures), stdout=StringIO())
    message = str(error.value)
    assert "04_groups.json, object 6 (groups.governancegroup 'sitag')" in message
    assert "asleep" in message
    assert GovernanceGroup.objects.count() == 0


def test_broken_reference_changes_nothing_on_reset(seeded, tmp_path):
    def break_parent(data):
        data[3]["fields"]["parent"] = ["no-such-group"]

    fixtures = _broken_copy(tmp_path, break_parent)
    GovernanceGroup.objects.filter(slug="dag").update(status_note="kept")
    with pytest.raises(CommandError, match="04_groups.json, object 4"):
        call_command(
            "seed_governance",
            "--reset",
            "--noinput",
            "--fixtures",
            str(fixtures),
            stdout=StringIO(),
        )
    assert GovernanceGroup.objects.get(slug="dag").status_note == "kept"
    assert GovernanceGroup.objects.count() == 22


def test_unreadable_fixture_is_named(empty_db, tmp_path):
    target = tmp_path / "fixtures"
    shutil.copytree(FIXTURE_DIR, target)
    (target / "05_series.json").write_text("[{not json")
    with pytest.raises(CommandError, match="05_series.json: not readable JSON"):
        call_command("seed_governance", "--fixtures", str(target), stdout=StringIO())
    assert GovernanceGroup.objects.count() == 0


def test_missing_fixtures_are_reported(db, tmp_path):
    with pytest.raises(CommandError, match="No fixtures found"):
        call_command("seed_governance", "--fixtures", str(tmp_path), stdout=StringIO())


def test_check_passes_on_the_seed(seeded):
    out = StringIO()
    call_command("check_governance_data", stdout=out, stderr=StringIO())
    assert "Integrity checks passed." in out.getvalue()
    assert "[Sources differ] DCWG, meeting time" in out.getvalue()
    assert (
        "[Inferred (not stated in the source document)] GLIG, first meeting date" in out.getvalue()
    )


def test_check_fails_on_a_planted_cycle(seeded):
    GovernanceGroup.objects.filter(slug="psg").update(
        parent=GovernanceGroup.objects.get(slug="sitwg")
    )
    err = StringIO()
    with pytest.raises(CommandError, match="integrity problem"):
        call_command("check_governance_data", stdout=StringIO(), stderr=err)
    assert "PSG: its parents form a cycle." in err.getvalue()


def test_check_fails_on_a_wrong_slug_and_missing_level_note(seeded):
    GovernanceGroup.objects.filter(slug="drg").update(slug="design-resolution")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("check_governance_data", stdout=StringIO(), stderr=err)
    assert "slug 'design-resolution' should be 'drg'" in err.getvalue()


def test_parent_cycle_refused_by_clean(seeded):
    from django.core.exceptions import ValidationError

    psg = GovernanceGroup.objects.get(slug="psg")
    psg.parent = GovernanceGroup.objects.get(slug="cdwg")
    with pytest.raises(ValidationError, match="loop"):
        psg.full_clean()


def _run(args, env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, *args],
        env={**clean, "DJANGO_SETTINGS_MODULE": "mhhs_gov.settings", **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_serve_without_secret_key():
    result = _run(["-c", "import mhhs_gov.wsgi"], {"DJANGO_DEBUG": "0"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_deploy_check_fails_without_secret_key():
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        {"DJANGO_DEBUG": "0", "DJANGO_HTTPS": "1"},
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_debug_serves_with_development_key():
    assert _run(["-c", "import mhhs_gov.wsgi"], {"DJANGO_DEBUG": "1"}).returncode == 0


def test_makemigrations_check_needs_no_secret_key():
    result = _run(
        ["manage.py", "makemigrations", "--check", "--dry-run"],
        {"DJANGO_DEBUG": "0", "DATABASE_URL": "sqlite://:memory:"},
    )
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout
