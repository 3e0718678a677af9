"""Meeting records for the page checks, screenshots and journeys: synthetic (the seed has no
papers, decisions or actions), made through the same services as the admin."""

from datetime import date, datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from groups.models import GovernanceGroup
from records.enums import ActionStatus, DecisionStatus
from records.models import Action, DeadlinePolicy, Decision, Document, MeetingRecord
from records.services import action_save, decision_save, document_save
from tests.conftest import LONDON

PDF = b"%PDF-1.7\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
PAST = date(2026, 11, 4)  # PSG, held (the pinned now is 26 November 2026)
NEXT = date(2026, 12, 2)  # PSG, next
CCAG_PAST = date(2026, 10, 28)


def _at(day, hour=9):
    return datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)


def _record(slug, day, **fields):
    record = MeetingRecord(group=GovernanceGroup.objects.get(slug=slug), date=day, **fields)
    record.full_clean()
    record.save()
    return record


def _document(record, kind, title, published, name=None):
    return document_save(
        document=Document(
            record=record,
            kind=kind,
            title=title,
            file=SimpleUploadedFile(name or f"{kind}.pdf", PDF),
            publish_at=published,
        ),
        by=None,
    )


def _decision(record, title, **fields):
    values = {
        "summary": f"{record.group.short_name} agreed: {title.lower()}.",
        "rationale": "Set out in the meeting's papers.",
        "published_at": _at(record.date, 17),
        **fields,
    }
    return decision_save(
        decision=Decision(
            group=record.group, record=record, date=record.date, title=title, **values
        ),
        by=None,
    )


def _policy(slug, effective_from):
    """Publication deadlines (the REC portal's 5/2/5) as the programme office sets them, on
    the day they take effect."""
    policy = DeadlinePolicy.objects.create(
        group=GovernanceGroup.objects.get(slug=slug),
        effective_from=effective_from,
        agenda_before=5,
        papers_before=5,
        headline_report_after=2,
        minutes_after=5,
    )
    DeadlinePolicy.objects.filter(pk=policy.pk).update(updated_at=_at(effective_from))
    return policy


def sample_records() -> dict:
    """PSG's deadline policy from 1 October 2026; PSG's last meeting with its papers
    (minutes late), two decisions (one superseding an earlier CCAG decision recommended by
    CDWG) and actions; PSG's next meeting with its agenda; returns the references."""
    _policy("psg", date(2026, 10, 1))
    joining = "Microsoft Teams: https://teams.example.org/l/meetup-join/psg\nDial-in: 020 7946 0000"
    past = _record("psg", PAST, joining_details=joining)
    _document(past, "agenda", "PSG agenda, 4 November", _at(date(2026, 10, 27)))
    _document(past, "papers", "Migration readiness pack", _at(date(2026, 10, 28)), "pack.pdf")
    _document(past, "headline_report", "Headline report", _at(date(2026, 11, 5), 16))
    _document(past, "minutes", "Draft minutes", _at(date(2026, 11, 16)))
    ccag = _record("ccag", CCAG_PAST)
    earlier = _decision(
        ccag,
        "Code change CP-101 approved",
        recommended_by=GovernanceGroup.objects.get(slug="cdwg"),
    )
    plan = _decision(past, "Migration plan v2 approved")
    _decision(
        past,
        "Cutover window moved to spring",
        status=DecisionStatus.WITHDRAWN,
        status_reason="Replaced by the migration plan v2's timetable.",
    )
    earlier.status = DecisionStatus.SUPERSEDED
    earlier.superseded_by = plan
    earlier.status_reason = "The migration plan v2 covers CP-101."
    decision_save(decision=earlier, by=None)
    for description, owner, due, status in [
        ("Circulate the revised migration plan", "PMO", date(2026, 11, 11), ActionStatus.CLOSED),
        ("Report on supplier readiness", "Supplier constituency", date(2026, 11, 20), "open"),
        ("Confirm the cutover rehearsal dates", "SI lead", date(2026, 12, 16), "open"),
    ]:
        action_save(
            action=Action(
                record=past, description=description, owner=owner, due=due, status=status
            ),
            by=None,
        )
    upcoming = _record("psg", NEXT)
    _document(upcoming, "agenda", "PSG agenda, 2 December", _at(date(2026, 11, 24)))
    return {"plan": plan.reference, "earlier": earlier.reference}
