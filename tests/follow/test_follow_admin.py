"""Following by email in the admin: addresses for superusers only, counts for the office."""

import json
from urllib.parse import urlsplit

import pytest
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.auth.models import Group
from lxml import html as lxml_html

from core import clock
from follow.models import Delivery, Subscription
from groups.models import GovernanceGroup, Workstream
from groups.roles import PROGRAMME_OFFICE, role_permissions
from tests.conftest import signed_in
from tests.queries import query_counts_at_1x_and_10x

pytestmark = pytest.mark.usefixtures("seeded")

CHANGELIST = "/admin/follow/subscription/"
FOLLOWERS = "/admin/follow/followedgroup/"


def follows(email, *, groups=(), workstreams=(), confirmed=True):
    subscription = Subscription.objects.create(
        email=email, confirmed_at=clock.now() if confirmed else None
    )
    subscription.groups.set(GovernanceGroup.objects.filter(slug__in=groups))
    subscription.workstreams.set(Workstream.objects.filter(slug__in=workstreams))
    return subscription


@pytest.fixture
def followers():
    """PSG: one direct, one through its workstream (programme), one both (counted once);
    an unconfirmed one does not count. GLIG (programme): two through the workstream."""
    return [
        follows("direct@example.org", groups=["psg"]),
        follows("whole@example.org", workstreams=["programme"]),
        follows("both@example.org", groups=["psg", "dag"], workstreams=["programme"]),
        follows("waiting@example.org", groups=["psg", "glig"], confirmed=False),
    ]


def counts(response) -> dict[str, str]:
    page = lxml_html.fromstring(response.content)
    found = {}
    for row in page.xpath("//table[@id='result_list']/tbody/tr"):
        cells = [" ".join(c.text_content().split()) for c in row.xpath("./td|./th")]
        found[cells[0]] = cells[-1]
    return found


def test_the_office_role_may_see_followers_per_group(pmo_user):
    assert ("follow", "view_followedgroup") in role_permissions()
    role = Group.objects.get(name=PROGRAMME_OFFICE)
    assert role.permissions.filter(
        content_type__app_label="follow", codename="view_followedgroup"
    ).exists()
    assert pmo_user.has_perm("follow.view_followedgroup")
    assert not pmo_user.has_perm("follow.view_subscription")


def test_the_office_sees_counts_per_group(office, followers):
    index = office.get("/admin/")
    assert FOLLOWERS in [a.get("href") for a in lxml_html.fromstring(index.content).iter("a")]
    response = office.get(FOLLOWERS)
    assert response.status_code == 200
    found = counts(response)
    name = {g.slug: g.display_name for g in GovernanceGroup.objects.all()}
    assert found[name["psg"]] == "3"
    assert found[name["glig"]] == "2"
    assert found[name["dag"]] == "1"
    assert found[name["ccag"]] == "0"
    assert len(found) == GovernanceGroup.objects.count()


def test_the_office_never_sees_an_address(office, followers):
    for path in (CHANGELIST, f"{CHANGELIST}{followers[0].pk}/change/", "/admin/follow/delivery/"):
        response = office.get(path)
        assert response.status_code in (403, 404), path
    addresses = [s.email.encode() for s in followers]
    # Every page the admin's index links to (each app's index and lists), and follow's pages.
    index = office.get("/admin/")
    paths = {"/admin/", "/admin/follow/", FOLLOWERS, f"{FOLLOWERS}?q=psg", f"{FOLLOWERS}?o=3"}
    paths.update(f"{FOLLOWERS}{g.pk}/change/" for g in GovernanceGroup.objects.all()[:3])
    for link in lxml_html.fromstring(index.content).iter("a"):
        target = urlsplit(link.get("href") or "")
        if target.path.startswith("/admin/") and "logout" not in target.path:
            paths.add(target.path)
    seen = set()
    for path in sorted(paths):
        response = office.get(path)
        if response.status_code == 200:
            seen.add(path)
        for address in addresses:
            assert address not in response.content, path
    assert FOLLOWERS in seen and len(seen) > 20


def test_the_followers_page_runs_a_constant_number_of_queries(office, followers):
    found = query_counts_at_1x_and_10x(office, FOLLOWERS)
    assert found["1x"] == found["10x"], found


def test_a_superuser_sees_the_addresses(root, followers):
    response = root.get(CHANGELIST)
    assert response.status_code == 200
    for subscription in followers:
        assert subscription.email.encode() in response.content
    assert root.get(f"{CHANGELIST}add/").status_code == 403  # made on /follow/ only
    Delivery.objects.create(subscription=followers[0], kind="confirmation", key="confirmation:1")
    change = root.get(f"{CHANGELIST}{followers[0].pk}/change/")
    assert change.status_code == 200
    assert b"direct@example.org" in change.content and b"confirmation:1" in change.content


def test_a_superuser_exports_one_address(root, followers, superuser):
    also = follows("direct@example.org", workstreams=["test"], confirmed=False)
    response = root.post(
        CHANGELIST,
        {"action": "export_address", "_selected_action": [followers[0].pk], "index": "0"},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["email"] == "direct@example.org"
    assert [(s["groups"], s["workstreams"]) for s in data["subscriptions"]] == [
        (["psg"], []),
        ([], ["test"]),
    ]
    assert data["subscriptions"][1]["confirmed_at"] is None
    logged = LogEntry.objects.filter(user=superuser, change_message__contains="Exported")
    assert sorted(int(e.object_id) for e in logged) == sorted([followers[0].pk, also.pk])


def test_export_and_erase_want_one_address(root, followers):
    pks = [followers[0].pk, followers[1].pk]
    for action in ("export_address", "erase_address"):
        response = root.post(
            CHANGELIST, {"action": action, "_selected_action": pks, "index": "0"}, follow=True
        )
        assert b"Choose the subscriptions of one address" in response.content
    assert Subscription.objects.count() == len(followers)


def test_a_superuser_erases_one_address(root, followers, superuser):
    also = follows("both@example.org", groups=["sitag"], confirmed=False)
    Delivery.objects.create(subscription=also, kind="confirmation", key="confirmation:1")
    chosen = {"action": "erase_address", "_selected_action": [followers[2].pk], "index": "0"}
    asked = root.post(CHANGELIST, chosen)
    assert asked.status_code == 200
    assert b"Yes, erase this address" in asked.content and b"both@example.org" in asked.content
    assert Subscription.objects.filter(email="both@example.org").count() == 2  # not yet
    response = root.post(CHANGELIST, {**chosen, "confirmed": "yes"}, follow=True)
    assert response.status_code == 200
    assert b"2 subscriptions deleted" in response.content
    assert not Subscription.objects.filter(email="both@example.org").exists()
    assert not Delivery.objects.filter(subscription_id=also.pk).exists()
    assert Subscription.objects.count() == len(followers) - 1
    deleted = LogEntry.objects.filter(user=superuser, action_flag=DELETION)
    assert sorted(int(e.object_id) for e in deleted) == sorted([followers[2].pk, also.pk])
    # The log keeps that subscriptions went, not whose.
    assert not any("both@example.org" in e.object_repr + e.change_message for e in deleted)


def test_staff_without_the_role_see_nothing_of_it(staff_user):
    staff = signed_in(staff_user)
    assert staff.get(FOLLOWERS).status_code == 403
    assert staff.get(CHANGELIST).status_code == 403
