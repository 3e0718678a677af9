"""/follow/: the form, its errors, double opt-in, the limits and what is kept."""

from datetime import timedelta

import pytest
from django.test import override_settings
from lxml import html as lxml_html

from core import clock
from follow import services
from follow.enums import EmailKind, Frequency, Topic
from follow.models import Delivery, FollowRequest, Subscription
from tests.forms import form_fields
from tests.queries import query_counts_at_1x_and_10x

pytestmark = pytest.mark.usefixtures("seeded")

SENT = "/follow/check-your-email/"


def valid(**changes) -> dict:
    data = {
        "email": "someone@example.org",
        "groups": ["psg"],
        "workstreams": [],
        "topics": ["meetings", "papers"],
        "frequency": "daily",
        "reminder_days": "2",
    }
    data.update(changes)
    return data


def error_links(response) -> dict[str, str]:
    """The error summary's links: target -> message."""
    page = lxml_html.fromstring(response.content)
    return {
        a.get("href"): a.text_content().strip()
        for a in page.xpath("//div[@class='error-summary']//a")
    }


def test_the_form_ticks_the_groups_and_workstreams_asked_for(client):
    response = client.get("/follow/?group=psg&group=dag&workstream=design&group=no-such")
    assert response.status_code == 200
    fields = form_fields(response.content.decode(), "follow-form")
    assert sorted(fields["groups"]) == ["dag", "psg"]
    assert fields["workstreams"] == ["design"]
    assert fields["topics"] == Topic.values  # every topic ticked by default
    assert fields["frequency"] == [Frequency.IMMEDIATE]
    assert fields["reminder_days"] == ["0"]
    assert fields["email"] == [""]


def test_the_form_explains_what_is_kept(client):
    text = lxml_html.fromstring(client.get("/follow/").content).text_content()
    for words in (
        "We keep your email address, what you follow",
        "not confirmed within 7 days is deleted",
        "keyed",
        "for one day",
        "Only the site's administrators (superusers) can see addresses",
        "no tracking pixels",
        "not rewritten",
    ):
        assert words in " ".join(text.split())


@pytest.mark.parametrize(
    ("changes", "target", "message"),
    [
        ({"email": ""}, "#id_email", "Enter your email address"),
        ({"email": "not an address"}, "#id_email", "Enter an email address in the correct"),
        ({"groups": [], "workstreams": []}, "#groups-field", "Choose at least one group or"),
        ({"groups": ["no-such"]}, "#groups-field", "There is no group no-such"),
        ({"workstreams": ["no-such"]}, "#workstreams-field", "There is no workstream no-such"),
        ({"topics": [], "reminder_days": "0"}, "#topics-field", "Choose at least one thing"),
        ({"topics": ["gossip"]}, "#topics-field", "There is no topic gossip"),
        ({"frequency": ""}, "#frequency-field", "Choose how often to hear"),
        ({"frequency": "hourly"}, "#frequency-field", "Choose how often to hear from the list"),
        ({"reminder_days": "3"}, "#reminder_days-field", "Choose a reminder from the list"),
    ],
)
def test_each_field_error_is_summarised_with_a_link_to_its_field(client, changes, target, message):
    response = client.post("/follow/", valid(**changes))
    assert response.status_code == 400
    links = error_links(response)
    assert list(links) == [target]
    assert links[target].startswith(message)
    page = lxml_html.fromstring(response.content)
    assert page.get_element_by_id(target[1:]) is not None  # the link goes somewhere
    assert page.findtext(".//title").startswith("Error:")
    assert not Subscription.objects.exists() and not FollowRequest.objects.exists()


def test_a_reminder_alone_is_enough(client):
    response = client.post("/follow/", valid(topics=[], reminder_days="5", workstreams=["test"]))
    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert subscription.topics == [] and subscription.reminder_days == 5


def test_a_request_makes_an_unconfirmed_subscription_and_a_confirmation_email(client, now):
    response = client.post(
        "/follow/",
        valid(email=" Someone@Example.ORG ", workstreams=["design"]),
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 302 and response["Location"] == SENT
    subscription = Subscription.objects.get()
    assert subscription.email == "someone@example.org"
    assert not subscription.is_confirmed
    assert [g.slug for g in subscription.groups.all()] == ["psg"]
    assert [w.slug for w in subscription.workstreams.all()] == ["design"]
    assert subscription.topics == ["meetings", "papers"]
    assert (subscription.frequency, subscription.reminder_days) == ("daily", 2)
    assert len(subscription.token) >= 43  # 256 bits, URL-safe
    delivery = subscription.deliveries.get()
    assert (delivery.kind, delivery.key) == (EmailKind.CONFIRMATION, "confirmation:1")
    assert delivery.sent_at is None and delivery.created_at == now
    # What is kept for the limits is keyed hashes, neither address in clear.
    request = FollowRequest.objects.get()
    assert request.at == now
    for value in (request.client_hash, request.email_hash):
        assert len(value) == 64 and "203.0.113.9" not in value and "someone" not in value
    assert request.client_hash == services.fingerprint("client:203.0.113.9")
    assert request.email_hash == services.fingerprint("email:someone@example.org")


def test_the_confirm_page_names_a_workstream_as_one_and_the_topics_shortly(client):
    client.post("/follow/", valid(workstreams=["test"]), REMOTE_ADDR="203.0.113.9")
    page = client.get(f"/follow/confirm/{Subscription.objects.get().token}/")
    text = " ".join(lxml_html.fromstring(page.content).text_content().split())
    assert "the Test workstream" in text
    assert "Meeting changes; Papers" in text and "(cancellations" not in text


def test_the_fingerprint_is_keyed_with_the_secret_key():
    first = services.fingerprint("email:a@example.org")
    assert first == services.fingerprint("email:a@example.org")
    with override_settings(SECRET_KEY="another-secret-key-of-enough-length-0123456789"):
        assert services.fingerprint("email:a@example.org") != first


def answer(client, email, address="198.51.100.1"):
    response = client.post("/follow/", valid(email=email), REMOTE_ADDR=address)
    page = client.get(response["Location"])
    return response.status_code, response["Location"], page.status_code, page.content


def test_the_answer_is_the_same_for_new_known_and_limited_addresses(client):
    known = Subscription.objects.create(email="known@example.org", confirmed_at=clock.now())
    for _ in range(3):
        services.request_follow(
            email="limited@example.org",
            choices=services.Choices([], [], ["meetings"], "daily", 0),
            client="192.0.2.1",
            now=clock.now(),
        )
    new = answer(client, "new@example.org")
    assert new[:3] == (302, SENT, 200)
    assert answer(client, "known@example.org") == new
    assert answer(client, "limited@example.org") == new
    assert b"Check your email" in new[3]
    # The known address got a new subscription to confirm; its confirmed one is unchanged.
    assert Subscription.objects.filter(email="known@example.org").count() == 2
    known.refresh_from_db()
    assert known.is_confirmed


def test_at_most_three_confirmation_emails_an_address_a_day(client, monkeypatch, now):
    for n in range(5):
        client.post("/follow/", valid(email="Many@example.org" if n % 2 else "many@example.org"))
    subscription = Subscription.objects.get()  # asking again resends, no new subscription
    keys = sorted(subscription.deliveries.values_list("key", flat=True))
    assert keys == ["confirmation:1", "confirmation:2", "confirmation:3"]
    # Other addresses are not held back by it.
    client.post("/follow/", valid(email="other@example.org"))
    assert Delivery.objects.filter(subscription__email="other@example.org").count() == 1
    # A day after the first, one more.
    monkeypatch.setattr(clock, "now", lambda: now + timedelta(days=1, minutes=1))
    client.post("/follow/", valid(email="many@example.org"))
    assert subscription.deliveries.count() == 4
    assert subscription.deliveries.filter(key="confirmation:4").exists()


def test_asking_again_before_confirming_changes_the_choices_and_restarts_the_week(
    client, monkeypatch, now
):
    client.post("/follow/", valid(groups=["psg"]))
    later = now + timedelta(days=6)
    monkeypatch.setattr(clock, "now", lambda: later)
    client.post("/follow/", valid(groups=["dag"], frequency="weekly"))
    subscription = Subscription.objects.get()
    assert [g.slug for g in subscription.groups.all()] == ["dag"]
    assert subscription.frequency == "weekly" and subscription.created_at == later


def test_the_eleventh_request_of_a_client_in_an_hour_is_refused_with_429(client, monkeypatch, now):
    for n in range(10):
        response = client.post(
            "/follow/", valid(email=f"p{n}@example.org"), REMOTE_ADDR="192.0.2.7"
        )
        assert response.status_code == 302
    later = now + timedelta(minutes=30)
    monkeypatch.setattr(clock, "now", lambda: later)
    refused = client.post("/follow/", valid(email="p10@example.org"), REMOTE_ADDR="192.0.2.7")
    assert refused.status_code == 429
    assert refused["Retry-After"] == str(30 * 60)
    text = " ".join(lxml_html.fromstring(refused.content).text_content().split())
    assert "try again after 10:00 (UK time)" in text  # an hour after the first, 09:00 UK
    assert not Subscription.objects.filter(email="p10@example.org").exists()
    # Even a form with errors is refused while the limit holds.
    assert client.post("/follow/", {}, REMOTE_ADDR="192.0.2.7").status_code == 429
    # Another client is not held back, and the first may ask again after the hour.
    assert client.post("/follow/", valid(), REMOTE_ADDR="192.0.2.8").status_code == 302
    monkeypatch.setattr(clock, "now", lambda: now + timedelta(hours=1, seconds=1))
    assert client.post("/follow/", valid(), REMOTE_ADDR="192.0.2.7").status_code == 302


def test_the_limit_is_by_the_client_address_the_proxy_gives(client, settings):
    settings.PROXY_COUNT = 1
    for n in range(10):
        client.post(
            "/follow/",
            valid(email=f"p{n}@example.org"),
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )
    # Ten clients behind one proxy: none is limited.
    assert FollowRequest.objects.values("client_hash").distinct().count() == 10


def test_unconfirmed_subscriptions_expire_after_seven_days(now):
    old = Subscription.objects.create(email="old@example.org", created_at=now - timedelta(days=8))
    Delivery.objects.create(subscription=old, kind=EmailKind.CONFIRMATION, key="confirmation:1")
    Subscription.objects.create(email="recent@example.org", created_at=now - timedelta(days=6))
    Subscription.objects.create(
        email="kept@example.org",
        created_at=now - timedelta(days=30),
        confirmed_at=now - timedelta(days=29),
    )
    assert services.expire_unconfirmed(now) == 1
    assert sorted(Subscription.objects.values_list("email", flat=True)) == [
        "kept@example.org",
        "recent@example.org",
    ]
    assert not Delivery.objects.exists()
    assert services.expire_unconfirmed(now) == 0


def test_follow_requests_are_forgotten_after_a_day(now):
    for hours in (1, 23, 25, 48):
        FollowRequest.objects.create(
            client_hash="c", email_hash="e", at=now - timedelta(hours=hours)
        )
    assert services.forget_old_requests(now) == 2
    assert FollowRequest.objects.count() == 2
    assert services.forget_old_requests(now) == 0


def test_the_form_page_runs_a_constant_number_of_queries(client):
    counts = query_counts_at_1x_and_10x(client, "/follow/")
    assert counts["1x"] == counts["10x"], counts


def test_the_form_is_not_cached(client):
    response = client.get("/follow/")
    assert "no-store" in response["Cache-Control"]


def follow_links(client, path) -> list[str]:
    page = lxml_html.fromstring(client.get(path).content)
    return [a.get("href") for a in page.iter("a") if (a.get("href") or "").startswith("/follow/")]


def test_group_and_workstream_pages_link_to_following_them(client):
    assert "/follow/?group=psg" in follow_links(client, "/groups/psg/")
    assert "/follow/?workstream=design" in follow_links(client, "/workstreams/design/")


def test_my_calendar_links_to_following_the_chosen_groups(client):
    assert "/follow/" in follow_links(client, "/my-calendar/")
    links = follow_links(client, "/my-calendar/?groups=psg&groups=sitwg")
    chosen = [link for link in links if "group=" in link]
    assert len(chosen) == 1
    fields = form_fields(client.get(chosen[0]).content.decode(), "follow-form")
    assert sorted(fields["groups"]) == ["psg", "sitwg"]
