"""No stale admin form ever overwrites a newer change: two people, one record."""

from datetime import date, datetime

import pytest

from groups.models import GovernanceGroup, StatusChange
from meetings.models import Cancellation, MeetingSeries, Move, OneOffMeeting
from tests.admin.test_admin import change_form, change_url, changelist_form, changelist_post
from tests.conftest import LONDON, signed_in
from tests.forms import form_fields


@pytest.fixture
def office_a(office):
    return office


@pytest.fixture
def office_b(db):
    from django.contrib.auth.models import Group, User

    from groups.roles import PROGRAMME_OFFICE

    user = User.objects.create_user("pmo-b", "b@example.org", "a-long-password-6", is_staff=True)
    user.groups.add(Group.objects.get(name=PROGRAMME_OFFICE))
    return signed_in(user)


@pytest.fixture
def admin_client_(root):
    return root


def test_stale_list_edit_does_not_revert_another_change(seeded, office_a, office_b):
    stale_list = changelist_form(office_a)  # A opens the group list
    assert changelist_post(office_b, {"torwg": ("future", "Re-forming")}).status_code == 302
    response = changelist_post(office_a, {"mwg": ("mobilised", "Agenda out")}, data=stale_list)
    assert response.status_code == 302
    torwg = GovernanceGroup.objects.get(slug="torwg")
    assert torwg.status == "future"  # B's change survives
    mwg = GovernanceGroup.objects.get(slug="mwg")
    assert mwg.status_note == "Agenda out"  # A's own edit is saved
    history = StatusChange.objects.select_related("group", "changed_by")
    assert [(c.group.slug, c.changed_by.username) for c in history.order_by("pk")] == [
        ("torwg", "pmo-b"),
        ("mwg", "pmo"),
    ]
    page = office_a.get(response["Location"]).content.decode()
    assert "was changed by pmo-b on" in page
    assert "It now reads: Status: To be mobilised in future; Status note: Re-forming" in page
    assert "1 governance group saved." in page


def test_a_stale_list_row_with_a_past_date_is_refused_as_stale_not_a_500(
    seeded, office_a, office_b
):
    """Two people on the group list: A's row for a group B has just changed, with a past
    date, is refused as stale (the version is checked before the date)."""
    stale_list = changelist_form(office_a)
    assert changelist_post(office_b, {"torwg": ("future", "Re-forming")}).status_code == 302
    data = dict(stale_list)
    torwg = str(GovernanceGroup.objects.get(slug="torwg").pk)
    (index,) = [
        i for i in range(int(data["form-TOTAL_FORMS"][0])) if data[f"form-{i}-id"] == [torwg]
    ]
    data[f"form-{index}-status_effective_from"] = "2026-05-01"
    response = changelist_post(office_a, {"torwg": ("ad_hoc", "Paused")}, data=data)
    assert response.status_code == 302
    assert GovernanceGroup.objects.get(slug="torwg").status == "future"
    assert list(StatusChange.objects.values_list("changed_by__username", flat=True)) == ["pmo-b"]
    page = office_a.get(response["Location"]).content.decode()
    assert "was changed by pmo-b on" in page


def test_a_list_without_versions_saves_nothing(seeded, office_a):
    data = {k: v for k, v in changelist_form(office_a).items() if "_concurrency_version" not in k}
    changelist_post(office_a, {"mwg": ("future", "Re-forming")}, data=data)
    assert GovernanceGroup.objects.get(slug="mwg").status == "mobilised"
    assert not StatusChange.objects.exists()


def test_stale_change_form_does_not_revert_the_status(seeded, office_a, admin_client_):
    stale = change_form(admin_client_, "dcwg")  # the superuser opens DCWG
    fresh = change_form(office_a, "dcwg")
    response = office_a.post(
        change_url("dcwg"), {**fresh, "status": "mobilising", "status_note": "Re-forming"}
    )
    assert response.status_code == 302
    typo_fix = stale["purpose"][0] + " (typo fixed)"
    refused = admin_client_.post(change_url("dcwg"), {**stale, "purpose": typo_fix})
    assert refused.status_code == 200
    text = refused.content.decode()
    assert "was changed by pmo on" in text
    assert "It now reads:" in text and "Status: Mobilisation in progress" in text
    dcwg = GovernanceGroup.objects.get(slug="dcwg")
    assert (dcwg.status, dcwg.status_note) == ("mobilising", "Re-forming")
    assert not dcwg.purpose.endswith("(typo fixed)")
    assert StatusChange.objects.filter(group=dcwg).count() == 1
    # Opened again, the form has the current version and the fix goes through.
    again = change_form(admin_client_, "dcwg")
    assert admin_client_.post(change_url("dcwg"), {**again, "purpose": typo_fix}).status_code == 302
    dcwg.refresh_from_db()
    assert dcwg.purpose == typo_fix and dcwg.status == "mobilising"


def test_a_save_that_races_past_the_form_check_is_a_409(seeded, office_a, monkeypatch):
    """Two saves racing: the version compared in the UPDATE refuses the second."""
    from core.admin import VersionCheckedForm

    data = change_form(office_a, "mwg")
    someone = GovernanceGroup.objects.get(slug="mwg")
    someone.status_note = "Someone's note"
    someone.save()  # someone saves a change between check and write
    monkeypatch.setattr(VersionCheckedForm, "clean", lambda self: self.cleaned_data)
    response = office_a.post(
        change_url("mwg"), {**data, "status": "future", "status_note": "Re-forming"}
    )
    assert response.status_code == 409
    assert "after you opened it" in response.content.decode()
    assert GovernanceGroup.objects.get(slug="mwg").status == "mobilised"
    assert not StatusChange.objects.exists()


def _admin_form(client, url):
    return {**form_fields(client.get(url).content.decode()), "_save": "Save"}


@pytest.mark.parametrize("model", [Cancellation, Move, OneOffMeeting])
def test_stale_meeting_change_forms_are_refused(seeded, office_a, office_b, model):
    series = MeetingSeries.objects.get(group__slug="mwg")
    mwg = GovernanceGroup.objects.get(slug="mwg")
    start = datetime(2027, 1, 15, 14, tzinfo=LONDON)
    obj = {
        Cancellation: lambda: Cancellation.objects.create(series=series, date=date(2027, 1, 14)),
        Move: lambda: Move.objects.create(
            series=series, original_date=date(2027, 1, 14), start=start, end=start.replace(hour=16)
        ),
        OneOffMeeting: lambda: OneOffMeeting.objects.create(
            group=mwg, start=start, end=start.replace(hour=16)
        ),
    }[model]()
    url = f"/admin/meetings/{model._meta.model_name}/{obj.pk}/change/"
    stale = _admin_form(office_a, url)
    assert office_b.post(url, {**_admin_form(office_b, url), "note": "B's note"}).status_code == 302
    refused = office_a.post(url, {**stale, "note": "A's note"})
    assert refused.status_code == 200
    assert "was changed by pmo-b on" in refused.content.decode()
    assert model.objects.get(pk=obj.pk).note == "B's note"


def test_stale_series_form_and_inline_rows_are_refused(seeded, admin_client_, office_b):
    series = MeetingSeries.objects.get(group__slug="mwg")
    cancellation = Cancellation.objects.create(series=series, date=date(2027, 1, 14), note="old")
    url = f"/admin/meetings/meetingseries/{series.pk}/change/"
    stale = _admin_form(admin_client_, url)
    row = next(k for k, v in stale.items() if k.endswith("-id") and v == [str(cancellation.pk)])
    note_field = row.removesuffix("-id") + "-note"
    cancel_url = f"/admin/meetings/cancellation/{cancellation.pk}/change/"
    fresh = _admin_form(office_b, cancel_url)
    assert office_b.post(cancel_url, {**fresh, "note": "B's note"}).status_code == 302
    refused = admin_client_.post(url, {**stale, note_field: "admin's note"})
    assert refused.status_code == 200
    assert "was changed by pmo-b on" in refused.content.decode()
    assert Cancellation.objects.get(pk=cancellation.pk).note == "B's note"
    # The series itself, changed by someone else, refuses a stale series form too.
    stale = _admin_form(admin_client_, url)
    changed = MeetingSeries.objects.get(pk=series.pk)
    changed.slot_note = "Changed by someone else"
    changed.save()
    assert admin_client_.post(url, {**stale, "title": "Renamed"}).status_code == 200
    assert MeetingSeries.objects.get(pk=series.pk).title != "Renamed"
