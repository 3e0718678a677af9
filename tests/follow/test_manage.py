"""Confirming, one-click unsubscribing and managing a subscription by its token."""

from datetime import timedelta
from urllib.parse import quote

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from core import clock
from follow import services
from follow.enums import EmailKind
from follow.models import Delivery, FollowRequest, Subscription
from groups.models import GovernanceGroup, Workstream
from tests.factories import add_seed_copies
from tests.forms import form_fields
from tests.tools import VNU, html_errors, require

pytestmark = pytest.mark.usefixtures("seeded")

ONE_CLICK = "List-Unsubscribe=One-Click"


def make(confirmed=True, email="reader@example.org", groups=("psg",), workstreams=()):
    subscription = Subscription.objects.create(
        email=email,
        topics=["meetings", "records"],
        frequency="weekly",
        reminder_days=1,
        confirmed_at=clock.now() - timedelta(days=3) if confirmed else None,
    )
    subscription.groups.set(GovernanceGroup.objects.filter(slug__in=groups))
    subscription.workstreams.set(Workstream.objects.filter(slug__in=workstreams))
    Delivery.objects.create(
        subscription=subscription, kind=EmailKind.CONFIRMATION, key="confirmation:1"
    )
    return subscription


def text(response) -> str:
    return " ".join(lxml_html.fromstring(response.content).text_content().split())


def test_opening_the_confirmation_link_changes_nothing(client):
    subscription = make(confirmed=False, workstreams=("design",))
    response = client.get(f"/follow/confirm/{subscription.token}/")
    assert response.status_code == 200
    words = text(response)
    assert "Confirm you want these emails" in words
    assert "reader@example.org" in words and "Design" in words and "PSG" in words
    assert "Weekly digest" in words and "1 working day before" in words
    page = lxml_html.fromstring(response.content)
    assert page.get_element_by_id("confirm-form").get("method") == "post"
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None
    assert response["Referrer-Policy"] == "same-origin"  # the token stays on this site
    assert "no-store" in response["Cache-Control"]


def test_pressing_confirm_confirms(client, now, monkeypatch):
    subscription = make(confirmed=False)
    page = client.get(f"/follow/confirm/{subscription.token}/")
    data = form_fields(page.content.decode(), "confirm-form")
    response = client.post(f"/follow/confirm/{subscription.token}/", data)
    assert response.status_code == 200
    subscription.refresh_from_db()
    assert subscription.confirmed_at == now
    assert "You are now following" in text(response)
    manage = f"/follow/manage/{subscription.token}/"
    assert manage in [a.get("href") for a in lxml_html.fromstring(response.content).iter("a")]
    # Pressing it again keeps the first time.
    later = now + timedelta(hours=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    client.post(f"/follow/confirm/{subscription.token}/", data)
    subscription.refresh_from_db()
    assert subscription.confirmed_at == now


@pytest.mark.parametrize("kind", ["confirm", "manage", "unsubscribe"])
@pytest.mark.parametrize(
    "token", ["unknown", "x" * 500, "%C3%A9t%C3%A9", "..", "a%00b", "a'b\"<c>"]
)
def test_unknown_tokens_are_404_in_plain_words(client, kind, token):
    make()
    for method in (client.get, client.post):
        response = method(f"/follow/{kind}/{token}/")
        assert response.status_code == 404, (method, response.status_code)
        words = text(response)
        assert "follow again" in words
        if kind == "unsubscribe":
            assert "This subscription has ended already" in words
        else:
            assert "This link has expired or was already used" in words
    assert Subscription.objects.count() == 1


def test_one_click_unsubscribe_without_cookie_or_csrf_token():
    subscription = make()
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        f"/follow/unsubscribe/{subscription.token}/",
        ONE_CLICK,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not response.cookies  # no session, no CSRF cookie
    assert not Subscription.objects.filter(pk=subscription.pk).exists()
    assert not Delivery.objects.filter(subscription_id=subscription.pk).exists()
    # Again: it has gone.
    again = mail_client.post(
        f"/follow/unsubscribe/{subscription.token}/",
        ONE_CLICK,
        content_type="application/x-www-form-urlencoded",
    )
    assert again.status_code == 404


def test_one_click_ends_only_that_subscription():
    ended, kept = make(), make(groups=("dag",))
    Client(enforce_csrf_checks=True).post(
        f"/follow/unsubscribe/{ended.token}/",
        ONE_CLICK,
        content_type="application/x-www-form-urlencoded",
    )
    assert list(Subscription.objects.values_list("pk", flat=True)) == [kept.pk]


def test_the_unsubscribe_page_shows_a_button_that_works():
    subscription = make()
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(f"/follow/unsubscribe/{subscription.token}/")
    assert page.status_code == 200
    assert Subscription.objects.filter(pk=subscription.pk).exists()  # GET ends nothing
    data = form_fields(page.content.decode(), "unsubscribe-form")
    assert data == {"List-Unsubscribe": ["One-Click"]}
    response = visitor.post(f"/follow/unsubscribe/{subscription.token}/", data)
    assert response.status_code == 200
    assert "You are unsubscribed" in text(response)
    assert not Subscription.objects.filter(pk=subscription.pk).exists()


def test_other_methods_on_token_pages_are_405(client):
    subscription = make()
    for kind in ("confirm", "manage", "unsubscribe"):
        assert client.put(f"/follow/{kind}/{subscription.token}/").status_code == 405
    assert Subscription.objects.filter(pk=subscription.pk).exists()


def test_an_unconfirmed_subscription_cannot_be_managed(client):
    subscription = make(confirmed=False)
    for method in (client.get, client.post):
        response = method(f"/follow/manage/{subscription.token}/", {"stop": "1"})
        assert response.status_code == 409
        assert "Confirm this subscription first" in text(response)
    assert Subscription.objects.filter(pk=subscription.pk).exists()


def test_the_manage_page_shows_the_subscription_as_it_is(client):
    subscription = make(workstreams=("design",))
    response = client.get(f"/follow/manage/{subscription.token}/")
    assert response.status_code == 200
    fields = form_fields(response.content.decode(), "manage-form")
    assert fields["groups"] == ["psg"]
    assert fields["workstreams"] == ["design"]
    assert fields["topics"] == ["meetings", "records"]
    assert fields["frequency"] == ["weekly"]
    assert fields["reminder_days"] == ["1"]
    assert "email" not in fields
    assert response["Referrer-Policy"] == "same-origin"  # the token stays on this site


def test_changing_a_subscription(client):
    subscription = make()
    manage = f"/follow/manage/{subscription.token}/"
    client.get(manage)  # seen once: a cached copy must not be served after the change
    data = form_fields(client.get(manage).content.decode(), "manage-form")
    data.update(
        groups=["dag", "sitag"], workstreams=["code"], topics=["papers"], frequency="immediate"
    )
    data["reminder_days"] = "5"
    response = client.post(manage, data)
    assert response.status_code == 302 and response["Location"] == manage + "?saved=1"
    subscription.refresh_from_db()
    assert sorted(g.slug for g in subscription.groups.all()) == ["dag", "sitag"]
    assert [w.slug for w in subscription.workstreams.all()] == ["code"]
    assert subscription.topics == ["papers"]
    assert (subscription.frequency, subscription.reminder_days) == ("immediate", 5)
    assert "Your changes are saved" in text(client.get(response["Location"]))
    fields = form_fields(client.get(manage).content.decode(), "manage-form")
    assert sorted(fields["groups"]) == ["dag", "sitag"] and fields["frequency"] == ["immediate"]


def test_a_bad_change_is_refused_with_its_errors(client):
    subscription = make()
    manage = f"/follow/manage/{subscription.token}/"
    data = form_fields(client.get(manage).content.decode(), "manage-form")
    data.update(groups=[], workstreams=[])
    response = client.post(manage, data)
    assert response.status_code == 400
    links = [
        a.get("href")
        for a in lxml_html.fromstring(response.content).xpath("//div[@class='error-summary']//a")
    ]
    assert links == ["#groups-field"]
    assert [g.slug for g in subscription.groups.all()] == ["psg"]


def test_stop_all_emails_deletes_the_subscription(client):
    subscription, other = make(), make(email="reader@example.org", groups=("dag",))
    manage = f"/follow/manage/{subscription.token}/"
    page = client.get(manage)
    stop = lxml_html.fromstring(page.content).get_element_by_id("stop-form")
    button = stop.xpath(".//button")[0]
    assert "Stop all emails to this subscription" in button.text_content()
    response = client.post(manage, {button.get("name"): button.get("value")})
    assert response.status_code == 200
    assert "You are unsubscribed" in text(response)
    assert list(Subscription.objects.values_list("pk", flat=True)) == [other.pk]
    assert client.get(manage).status_code == 404


@pytest.mark.browser
def test_the_follow_pages_are_valid_html(client, tmp_path):
    require(VNU, what="java")
    confirmed, waiting = make(), make(confirmed=False)
    pages = {
        "form": client.get("/follow/?group=psg"),
        "errors": client.post("/follow/", {"email": "nope"}),
        "sent": client.get("/follow/check-your-email/"),
        "confirm": client.get(f"/follow/confirm/{waiting.token}/"),
        "unconfirmed": client.get(f"/follow/manage/{waiting.token}/"),
        "confirmed": client.post(f"/follow/confirm/{waiting.token}/"),
        "manage": client.get(f"/follow/manage/{confirmed.token}/?saved=1"),
        "manage errors": client.post(f"/follow/manage/{confirmed.token}/", {"topics": "x"}),
        "unsubscribe": client.get(f"/follow/unsubscribe/{confirmed.token}/"),
        "ended": client.post(
            f"/follow/unsubscribe/{confirmed.token}/",
            ONE_CLICK,
            "application/x-www-form-urlencoded",
        ),
        "gone": client.get(f"/follow/manage/{confirmed.token}/"),
        "gone unsubscribe": client.get(f"/follow/unsubscribe/{confirmed.token}/"),
    }
    FollowRequest.objects.bulk_create(
        FollowRequest(client_hash=services.fingerprint("client:127.0.0.1"), email_hash="e")
        for _ in range(services.CLIENT_LIMIT)
    )
    pages["too many"] = client.post("/follow/", {})
    assert pages["too many"].status_code == 429
    files = {}
    for name, response in pages.items():
        assert response.status_code < 500, name
        target = tmp_path / f"{name.replace(' ', '-')}.html"
        target.write_bytes(response.content)
        files[str(target)] = name
    assert html_errors(files) == []


def test_the_token_pages_run_a_constant_number_of_queries(client):
    few = make()
    many = make(
        groups=[g.slug for g in GovernanceGroup.objects.all()], workstreams=["design", "test"]
    )
    add_seed_copies(3)
    for kind in ("confirm", "manage", "unsubscribe"):
        counted = []
        for subscription in (few, many):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(f"/follow/{kind}/{subscription.token}/").status_code == 200
            counted.append(len(queries))
        assert counted[0] == counted[1], (kind, counted)


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    path=st.sampled_from(["", "confirm/{}/", "manage/{}/", "unsubscribe/{}/"]),
    token=st.one_of(st.text(max_size=80), st.just("T" * 43)),
    method=st.sampled_from(["get", "post"]),
    data=st.dictionaries(
        st.sampled_from(["email", "groups", "workstreams", "topics", "frequency", "stop"])
        | st.text(max_size=10),
        st.text(max_size=40),
        max_size=6,
    ),
)
def test_no_server_errors_on_follow_pages(client, path, token, method, data):
    url = "/follow/" + path.format(quote(token, safe=""))
    response = getattr(client, method)(url, data)
    assert response.status_code < 500, (url, data, response.status_code)
