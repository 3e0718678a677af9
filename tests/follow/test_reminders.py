"""Meeting reminders, against a real SMTP server: at 07:00 UK time N working days before a
followed group's confirmed meeting (bank holidays skipped), with its page and the papers
public by then; none for a tentative or cancelled meeting; a moved one at its new date."""

from datetime import date, datetime

from follow import sending
from follow.enums import EmailKind
from follow.models import Delivery
from groups.models import GovernanceGroup
from meetings.models import MeetingSeries, Move, OneOffMeeting
from meetings.services import move_save, one_off_save
from tests.conftest import LONDON
from tests.follow import smtp
from tests.follow.smtp import (
    SITE_URL,
    assert_plain_and_absolute,
    assert_unsubscribe_headers,
    cancel,
    parts,
    publish_paper,
    send,
    set_clock,
    subscribe,
)

# The fixtures: the SMTP server, its outbox, a media folder of the test's own.
mail_server, outbox, media = smtp.mail_server, smtp.outbox, smtp.media

# PSG meets on the first Wednesday, 10:00 to 12:00: Wednesday 5 May 2027. Monday 3 May is
# the Early May bank holiday, so two working days before is Friday 30 April.
MEETING = date(2027, 5, 5)


def uk(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def reminded(outbox, subscription) -> list:
    return [m for m in outbox.to(subscription.email) if m["Subject"].startswith("Reminder:")]


def test_a_reminder_goes_two_working_days_before_skipping_a_bank_holiday_with_its_papers(
    outbox, seeded, media, monkeypatch
):
    subscription = subscribe("remind@example.org", groups=["psg"], topics=[], reminder_days=2)
    no_reminder = subscribe("none@example.org", groups=["psg"], topics=[])
    set_clock(monkeypatch, uk(2027, 4, 28, 9, 0))
    publish_paper(day=MEETING, kind="agenda", title="Agenda for 5 May")
    publish_paper(day=MEETING, title="Embargoed papers", publish_at=uk(2027, 4, 30, 12, 0))

    for moment in (uk(2027, 4, 29, 7, 0), uk(2027, 4, 30, 6, 59)):
        set_clock(monkeypatch, moment)
        send()
    assert outbox.messages() == []

    set_clock(monkeypatch, uk(2027, 4, 30, 7, 0))
    send()
    for moment in (uk(2027, 4, 30, 12, 0), uk(2027, 5, 3, 7, 0), uk(2027, 5, 5, 9, 0)):
        set_clock(monkeypatch, moment)
        send()

    (message,) = outbox.messages()
    assert message.rcpt_tos == [subscription.email]
    assert message["Subject"] == "Reminder: PSG meets on Wednesday 5 May at 10:00"
    assert_unsubscribe_headers(message, subscription)
    assert_plain_and_absolute(message)
    text, html = parts(message)
    assert "PSG meets on Wednesday 5 May at 10:00 (until 12:00, UK time)." in text
    meeting_url = SITE_URL + GovernanceGroup.objects.get(slug="psg").get_meeting_url(MEETING)
    assert f"The meeting's page: {meeting_url}" in text
    assert f'href="{meeting_url}"' in html
    assert "Agenda: Agenda for 5 May" in text
    assert "PSG meets on Wednesday 5 May at 10:00 (until 12:00, UK time)." in html
    assert ">Agenda for 5 May</a>" in html
    assert "Embargoed papers" not in text and "Embargoed papers" not in html
    delivery = Delivery.objects.get(subscription=subscription)
    assert (delivery.kind, delivery.key) == (EmailKind.REMINDER, "reminder:psg:2027-05-05")
    assert not Delivery.objects.filter(subscription=no_reminder).exists()


def test_no_reminder_for_a_meeting_on_a_tentative_date_but_one_for_a_one_off_meeting(
    outbox, seeded, monkeypatch
):
    subscription = subscribe("remind@example.org", groups=["psg"], topics=[], reminder_days=2)
    MeetingSeries.objects.filter(group__slug="psg").update(
        dates_inferred="The dates are inferred from last year's pattern."
    )
    one_off_save(
        meeting=OneOffMeeting(
            group=GovernanceGroup.objects.get(slug="psg"),
            title="Extraordinary PSG",
            start=uk(2027, 5, 13, 14, 0),
            end=uk(2027, 5, 13, 15, 0),
        ),
        by=None,
    )
    for day in range(28, 31):
        set_clock(monkeypatch, uk(2027, 4, day, 7, 0))
        send()
    assert reminded(outbox, subscription) == []

    set_clock(monkeypatch, uk(2027, 5, 11, 7, 0))  # two working days before Thursday 13th
    send()
    (message,) = reminded(outbox, subscription)
    assert message["Subject"] == "Reminder: PSG meets on Thursday 13 May at 14:00"
    text, _ = parts(message)
    assert "(until 15:00, UK time): Extraordinary PSG." in text


def test_a_moved_meeting_is_reminded_at_its_new_date(outbox, seeded, monkeypatch):
    subscription = subscribe("remind@example.org", groups=["psg"], topics=[], reminder_days=2)
    move_save(
        move=Move(
            series=MeetingSeries.objects.get(group__slug="psg", slug="meeting"),
            original_date=MEETING,
            start=uk(2027, 5, 11, 10, 0),
            end=uk(2027, 5, 11, 12, 0),
        ),
        by=None,
    )
    for moment in (uk(2027, 4, 30, 7, 0), uk(2027, 5, 6, 7, 0)):
        set_clock(monkeypatch, moment)
        send()
    assert reminded(outbox, subscription) == []

    set_clock(monkeypatch, uk(2027, 5, 7, 7, 0))  # Friday: Monday 10th, then Friday 7th
    send()
    (message,) = reminded(outbox, subscription)
    assert message["Subject"] == "Reminder: PSG meets on Tuesday 11 May at 10:00"
    text, _ = parts(message)
    assert "It was moved from Wednesday 5 May." in text
    assert Delivery.objects.get(subscription=subscription).key == "reminder:psg:2027-05-11"


def test_no_reminder_for_a_cancelled_meeting_even_one_cancelled_after_it_fell_due(
    outbox, seeded, monkeypatch
):
    subscription = subscribe("remind@example.org", groups=["psg"], topics=[], reminder_days=2)
    set_clock(monkeypatch, uk(2027, 4, 30, 7, 0))
    sending.record_owed(uk(2027, 4, 30, 7, 0))
    assert Delivery.objects.filter(subscription=subscription).count() == 1
    cancel(slug="psg", day=MEETING)
    send()
    assert outbox.messages() == []
    assert not Delivery.objects.filter(subscription=subscription).exists()


def test_a_workstream_subscription_is_reminded_of_its_groups_meetings(outbox, seeded, monkeypatch):
    subscription = subscribe(
        "programme@example.org", workstreams=["programme"], topics=[], reminder_days=1
    )
    set_clock(monkeypatch, uk(2027, 5, 4, 7, 0))
    send()
    subjects = [m["Subject"] for m in reminded(outbox, subscription)]
    assert "Reminder: PSG meets on Wednesday 5 May at 10:00" in subjects


def test_an_address_confirmed_after_the_reminder_fell_due_is_not_reminded_late(
    outbox, seeded, monkeypatch
):
    """Confirmed on Tuesday 4 May, after Friday's 07:00 reminder moment for 5 May: that
    meeting's reminder is not sent the day before as if it were two working days' notice;
    one who had confirmed before Friday's moment is reminded then."""
    late = subscribe(
        "late@example.org",
        groups=["psg"],
        topics=[],
        reminder_days=2,
        confirmed_at=uk(2027, 5, 4, 9, 0),
    )
    early = subscribe(
        "early@example.org",
        groups=["psg"],
        topics=[],
        reminder_days=2,
        confirmed_at=uk(2027, 4, 30, 6, 0),
    )
    set_clock(monkeypatch, uk(2027, 5, 4, 9, 5))
    send()
    assert reminded(outbox, late) == []
    assert len(reminded(outbox, early)) == 1
