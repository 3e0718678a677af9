"""The admin over HTTP: the Programme office role, status history, meeting changes."""

from datetime import date, datetime

import pytest
from django.contrib.auth.models import Group

from groups.models import GovernanceGroup, StatusChange
from groups.roles import PROGRAMME_OFFICE, role_permissions
from meetings.models import Cancellation, MeetingSeries, Move, OneOffMeeting
from tests.conftest import LONDON
from tests.forms import form_fields

CHANGELIST = "/admin/groups/governancegroup/"


def change_url(slug):
    return f"/admin/groups/governancegroup/{GovernanceGroup.objects.get(slug=slug).pk}/change/"


def changelist_form(client) -> dict[str, list[str]]:
    """The changelist's list_editable form, as a browser would submit it unchanged."""
    return {
        **form_fields(client.get(CHANGELIST).content.decode(), "changelist-form"),
        "_save": "Save",
    }


def changelist_post(client, changes: dict[str, tuple[str, str]], data=None):
    """Submit the changelist's form (``data``, else as loaded now) with ``changes`` made."""
    data = dict(data or changelist_form(client))
    slugs = dict(GovernanceGroup.objects.values_list("pk", "slug"))
    for index in range(int(data["form-TOTAL_FORMS"][0])):
        slug = slugs[int(data[f"form-{index}-id"][0])]
        if slug in changes:
            data[f"form-{index}-status"], data[f"form-{index}-status_note"] = changes[slug]
    return client.post(CHANGELIST, data)


def change_form(client, slug) -> dict[str, list[str]]:
    """A group's change form, as a browser would submit it unchanged."""
    return {**form_fields(client.get(change_url(slug)).content.decode()), "_save": "Save"}


def test_role_has_exactly_its_permissions(db):
    role = Group.objects.get(name=PROGRAMME_OFFICE)
    held = {(p.content_type.app_label, p.codename) for p in role.permissions.all()}
    assert held == set(role_permissions())
    assert len(held) == 3 + 14 + 20 + 13 + 1  # + follow: followers per group


def test_pmo_changes_status_from_the_list(client, seeded, pmo_user, now):
    client.force_login(pmo_user)
    response = changelist_post(client, {"dag": ("mobilised", "Monthly meetings resume")})
    assert response.status_code == 302, response.content.decode()[:2000]
    dag = GovernanceGroup.objects.get(slug="dag")
    assert (dag.status, dag.status_note) == ("mobilised", "Monthly meetings resume")
    change = StatusChange.objects.get(group=dag)
    assert (change.changed_by, change.from_status, change.to_status, change.note) == (
        pmo_user,
        "ad_hoc",
        "mobilised",
        "Monthly meetings resume",
    )
    assert dag.status_changed_at == change.changed_at
    page = client.get("/groups/dag/").content.decode()
    assert "Monthly meetings resume" in page
    assert "set by the programme office on" in page
    history = page.split('id="history-heading"')[1].split("</section>")[0]
    assert "Available for any ad hoc meetings" in history and "Mobilised" in history
    assert client.get("/api/groups/dag/").json()["status"] == "mobilised"


def test_status_change_moves_feed_etag_and_adds_meetings(client, seeded, pmo_user, now):
    before = client.get("/groups/dag/calendar.ics")
    client.force_login(pmo_user)
    changelist_post(client, {"dag": ("mobilised", "Monthly meetings resume")})
    client.logout()
    after = client.get("/groups/dag/calendar.ics", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200 and after["ETag"] != before["ETag"]
    assert b"RRULE:FREQ=MONTHLY;BYDAY=2WE" in after.content


def test_pmo_changes_status_from_the_form(client, seeded, pmo_user):
    client.force_login(pmo_user)
    form = client.get(change_url("sitwg"))
    assert form.status_code == 200
    html = form.content.decode()
    assert 'name="status"' in html and 'name="status_note"' in html
    assert 'name="purpose"' not in html and 'name="name"' not in html
    data = change_form(client, "sitwg")
    response = client.post(
        change_url("sitwg"),
        {**data, "status": "ad_hoc", "status_note": "Paused over the summer"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    sitwg = GovernanceGroup.objects.get(slug="sitwg")
    assert (sitwg.status, sitwg.status_note) == ("ad_hoc", "Paused over the summer")
    assert sitwg.purpose.startswith("Define the approach to SIT")
    assert StatusChange.objects.get(group=sitwg).changed_by == pmo_user


def test_pmo_cannot_add_or_delete_groups_or_series(client, seeded, pmo_user):
    client.force_login(pmo_user)
    dag = GovernanceGroup.objects.get(slug="dag")
    assert client.get(f"/admin/groups/governancegroup/{dag.pk}/delete/").status_code == 403
    assert (
        client.post(f"/admin/groups/governancegroup/{dag.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert client.get("/admin/groups/governancegroup/add/").status_code == 403
    series = MeetingSeries.objects.get(group__slug="psg", slug="meeting")
    assert client.get(f"/admin/meetings/meetingseries/{series.pk}/delete/").status_code == 403
    assert client.get("/admin/meetings/meetingseries/add/").status_code == 403
    assert client.get("/admin/groups/mailbox/").status_code == 403
    assert client.get("/admin/auth/user/").status_code == 403
    assert GovernanceGroup.objects.filter(slug="dag").exists()


def test_staff_without_the_role_get_403(client, seeded, staff_user):
    client.force_login(staff_user)
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(change_url("dag")).status_code == 403
    assert client.get("/admin/meetings/cancellation/add/").status_code == 403


def test_anonymous_users_are_sent_to_login(client, seeded):
    response = client.get(CHANGELIST)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=")


def test_superuser_can_add_and_delete(client, seeded, superuser):
    client.force_login(superuser)
    assert client.get("/admin/groups/governancegroup/add/").status_code == 200
    html = client.get(change_url("dag")).content.decode()
    assert 'name="purpose"' in html


def test_pmo_cancels_an_occurrence(client, seeded, pmo_user):
    client.force_login(pmo_user)
    series = MeetingSeries.objects.get(group__slug="sitag")
    bad = client.post(
        "/admin/meetings/cancellation/add/", {"series": series.pk, "date": "2027-01-21", "note": ""}
    )
    assert bad.status_code == 200
    assert "is not a date of Systems Integration and Testing Advisory Group" in bad.content.decode()
    assert not Cancellation.objects.exists()
    good = client.post(
        "/admin/meetings/cancellation/add/",
        {"series": series.pk, "date": "2027-01-20", "note": "Holiday"},
    )
    assert good.status_code == 302
    assert Cancellation.objects.get().date == date(2027, 1, 20)
    month = client.get("/api/calendar/2027/01/").json()["occurrences"]
    assert [o["status"] for o in month if o["group"] == "sitag"] == ["cancelled"]


def test_pmo_moves_an_occurrence(client, seeded, pmo_user):
    client.force_login(pmo_user)
    series = MeetingSeries.objects.get(group__slug="mwg")

    def move(original_date, end_time):
        return client.post(
            "/admin/meetings/move/add/",
            {
                "series": series.pk,
                "original_date": original_date,
                "start_0": "2027-01-15",
                "start_1": "14:00",
                "end_0": "2027-01-15",
                "end_1": end_time,
            },
        )

    backwards = move("2027-01-14", "13:00")
    assert backwards.status_code == 200
    assert "The meeting must end after it starts." in backwards.content.decode()
    not_a_meeting = move("2027-01-13", "16:00")
    assert "is not a date of Migration Working Group" in not_a_meeting.content.decode()
    response = move("2027-01-14", "16:00")
    assert response.status_code == 302
    assert Move.objects.get().start.isoformat() == "2027-01-15T14:00:00+00:00"


def test_pmo_adds_a_one_off_meeting(client, seeded, pmo_user):
    client.force_login(pmo_user)
    dag = GovernanceGroup.objects.get(slug="dag")
    response = client.post(
        "/admin/meetings/oneoffmeeting/add/",
        {
            "group": dag.pk,
            "title": "DAG ad hoc meeting",
            "start_0": "2027-07-14",
            "start_1": "10:00",
            "end_0": "2027-07-14",
            "end_1": "12:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    # 10:00 UK summer time is 09:00 UTC.
    assert OneOffMeeting.objects.get().start == datetime(2027, 7, 14, 10, tzinfo=LONDON)
    month = client.get("/api/calendar/2027/07/").json()["occurrences"]
    assert [(o["group"], o["title"]) for o in month if o["group"] == "dag"] == [
        ("dag", "DAG ad hoc meeting")
    ]


def test_history_inline_on_the_admin_form(client, seeded, superuser):
    client.force_login(superuser)
    changelist_post(client, {"dag": ("mobilised", "Monthly meetings resume")})
    html = client.get(change_url("dag")).content.decode()
    assert "Status history" in html or "status history" in html


def test_seeding_again_keeps_the_admin_edit(client, seeded, pmo_user):
    from io import StringIO

    from django.core.management import call_command

    client.force_login(pmo_user)
    changelist_post(client, {"qwg": ("future", "Re-forming")})
    call_command("seed_governance", stdout=StringIO())
    assert GovernanceGroup.objects.get(slug="qwg").status == "future"


@pytest.mark.parametrize("attempts", [5])
def test_login_lockout_after_repeated_failures(client, seeded, pmo_user, attempts):
    for _ in range(attempts):
        response = client.post(
            "/admin/login/?next=/admin/", {"username": "pmo", "password": "wrong-password"}
        )
        assert response.status_code in (200, 429)
    locked = client.post(
        "/admin/login/?next=/admin/", {"username": "pmo", "password": "a-long-password-2"}
    )
    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.content.decode()
    other = client.post("/admin/login/?next=/admin/", {"username": "admin-nobody", "password": "x"})
    assert other.status_code == 200


def test_correct_login_works(client, seeded, pmo_user):
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "pmo", "password": "a-long-password-2"}
    )
    assert response.status_code == 302


def test_the_admin_names_the_directory_and_fits_the_group_list(client, seeded, pmo_user):
    client.force_login(pmo_user)
    html = client.get(CHANGELIST).content.decode()
    assert "MHHS governance directory: programme office" in html
    assert "Django administration" not in html
    header = html.split("<thead>", 1)[1].split("</thead>", 1)[0]
    assert "Status note" in header and "Takes effect from" in header
    assert header.count("<th") <= 8  # status and note in view at 1280 px
    assert '<textarea name="form-0-status_note"' in html
    data = changelist_form(client)
    count = int(data["form-TOTAL_FORMS"][0])
    by_pk = dict(GovernanceGroup.objects.values_list("pk", "slug"))
    slugs = [by_pk[int(data[f"form-{index}-id"][0])] for index in range(count)]
    assert slugs[:3] == ["ofgem", "psg", "ccag"]  # by level, then name
    assert slugs[-2:] == ["drg", "glig"]  # no level (NA) last
