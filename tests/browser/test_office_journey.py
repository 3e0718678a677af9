"""The programme office's week, in a real Chromium: from the admin home, open the next PSG
meeting, upload its agenda, record a decision, and move the following SITAG meeting by
picking it from SITAG's list; each in one screen."""

import re
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group, Permission, User

from changelog.models import ChangeEntry
from groups.models import GovernanceGroup
from groups.roles import programme_office_role_sync
from meetings.models import Move
from records.models import Decision, Document
from tests.serving import totp_now
from tests.tools import AXE, require

from .conftest import screenshot

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.7\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
SCREEN = re.compile(r".*/admin/records/meetingrecord/meetings/psg/\d{4}-\d{2}-\d{2}/$")


def sign_in_as_the_programme_office(page, site):
    user = User.objects.create_user("pmo", "pmo@example.org", "a-long-password-2", is_staff=True)
    user.groups.add(programme_office_role_sync(Group, Permission))
    page.goto(site + "/admin/")
    page.get_by_label("Username").fill("pmo")
    page.get_by_label("Password").fill("a-long-password-2")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r".*/admin/two-factor/set-up/.*"))
    page.get_by_label("Code from the app").fill(totp_now(page.locator("code.otp-key").inner_text()))
    page.get_by_role("button", name="Confirm and continue").click()
    page.goto(site + "/admin/")


def open_the_next_psg_meeting(page, site):
    """From the admin home: its link to the meeting if it has one, else by PSG's admin."""
    home_link = page.locator('a[href*="/admin/records/meetingrecord/meetings/psg/20"]')
    if home_link.count():
        home_link.first.click()
    else:
        psg = GovernanceGroup.objects.get(slug="psg").pk
        page.goto(f"{site}/admin/groups/governancegroup/{psg}/change/")
        page.get_by_role("link", name="Meetings: upcoming and recent").click()
        page.locator("#upcoming + .meeting-list tbody tr").first.get_by_role("link").first.click()
    page.wait_for_url(SCREEN)


def shown_and_fits(page, width, name):
    screenshot(page, f"{name}-{width}")
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), (
        f"{name} is wider than {width} px: "
        f"{page.evaluate('document.documentElement.scrollWidth')} px"
    )


def axe_violations(page):
    page.evaluate(AXE.read_text())
    return page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '))"
    )


def test_the_office_prepares_a_meeting_on_one_screen(browser, site, tmp_path):
    require(AXE, what="axe-core")
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, bypass_csp=True, locale="en-GB"
    )
    page = context.new_page()
    sign_in_as_the_programme_office(page, site)
    open_the_next_psg_meeting(page, site)
    screen_url = page.url
    day = date.fromisoformat(screen_url.rstrip("/").rsplit("/", 1)[1])
    decisions = Decision.objects.filter(group__slug="psg", date=day)
    documents = Document.objects.filter(record__group__slug="psg", record__date=day)
    decisions_before, moves_before = decisions.count(), Move.objects.count()
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading.startswith("PSG meeting of"), heading

    # The agenda and a decision, on the meeting's own screen, in one save.
    agenda = tmp_path / "agenda.pdf"
    agenda.write_bytes(PDF)
    page.locator("select[name='documents-0-kind']").select_option("agenda")
    page.locator("input[name='documents-0-title']").fill("Agenda")
    page.locator("input[name='documents-0-file']").set_input_files(str(agenda))
    page.locator("input[name='decisions-0-title']").fill("Migration plan approved")
    page.locator("textarea[name='decisions-0-summary']").fill("PSG approved the plan.")
    page.locator("textarea[name='decisions-0-rationale']").fill("It meets the criteria.")
    page.locator("input[name='_save']").click()
    # No publication time: asked whether to keep it a draft, nothing saved yet.
    page.get_by_text("No publication time is given").wait_for()
    assert decisions.count() == decisions_before
    page.locator("input[name='documents-0-file']").set_input_files(str(agenda))
    page.get_by_label("Keep it as a draft (not public)?").first.check()
    page.locator("input[name='_save']").click()
    page.wait_for_url(screen_url)
    assert "was saved" in page.locator("ul.messagelist").inner_text()
    assert documents.get(title="Agenda").kind == "agenda"
    draft = decisions.get(title="Migration plan approved")
    assert draft.published_at is None and draft.reference.startswith("PSG-")
    assert "Draft: not public" in page.locator("#decisions-group").inner_text()

    shown_and_fits(page, 1280, "admin-meeting-screen")
    violations = axe_violations(page)
    assert violations == [], "\n".join(violations)
    narrow = browser.new_context(
        viewport={"width": 360, "height": 800},
        storage_state=context.storage_state(),
        locale="en-GB",
    )
    small = narrow.new_page()
    small.goto(screen_url)
    shown_and_fits(small, 360, "admin-meeting-screen")
    narrow.close()

    # The following SITAG meeting, picked from SITAG's list, moved a day later.
    page.get_by_role("link", name="Meetings by group").first.click()
    page.get_by_role("link", name=re.compile(r"\(SITAG\)")).click()
    first = page.locator("#upcoming + .meeting-list tbody tr").first
    first.get_by_role("link", name="Move").click()
    new_date = page.locator("input[name='date']")
    old = new_date.input_value()
    new_date.fill(f"{date.fromisoformat(old) + timedelta(days=1):%Y-%m-%d}")
    page.get_by_label("Note (optional)").fill("Room clash")
    screenshot(page, "admin-meeting-move-1280")
    page.get_by_role("button", name="Move this meeting").click()
    page.wait_for_url(re.compile(r".*/meetings/sitag/\d{4}-\d{2}-\d{2}/$"))
    assert "is moved to" in page.locator("ul.messagelist").inner_text()
    assert Move.objects.count() == moves_before + 1
    move = Move.objects.get(series__group__slug="sitag")
    assert f"{move.original_date:%Y-%m-%d}" == old
    assert ChangeEntry.objects.filter(kind="meeting_moved").count() == 1
    context.close()
