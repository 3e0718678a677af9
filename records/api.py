"""Meeting records as JSON, CSV rows and schema.org structured data."""

from django.utils import timezone

from groups.provenance import with_sic
from meetings.models import local_datetime
from meetings.occurrences import Occurrence


def _day(value):
    return value.isoformat() if value else None


def decision_as_json(decision, *, absolute_url) -> dict:
    record = decision.record
    return {
        "reference": decision.reference,
        "group": decision.group.slug,
        "date": decision.date.isoformat(),
        "title": decision.title,
        "summary": decision.summary,
        "rationale": decision.rationale,
        "status": decision.status,
        "status_reason": decision.status_reason,
        "superseded_by": decision.superseded_by.reference if decision.superseded_by else None,
        "recommended_by": decision.recommended_by.slug if decision.recommended_by else None,
        "meeting": _day(record.date) if record else None,
        "meeting_url": absolute_url(record.get_absolute_url()) if record else None,
        "published_at": timezone.localtime(decision.published_at).isoformat(),
        "url": absolute_url(decision.get_absolute_url()),
        "challenge_url": absolute_url(decision.get_challenge_url()),
    }


DECISION_COLUMNS = [
    "reference",
    "group",
    "date",
    "title",
    "summary",
    "rationale",
    "status",
    "superseded_by",
    "recommended_by",
    "meeting",
    "url",
]


def decision_row(decision, *, absolute_url) -> list:
    data = decision_as_json(decision, absolute_url=absolute_url)
    return [data[column] for column in DECISION_COLUMNS]


def action_as_json(action, *, absolute_url) -> dict:
    record = action.record
    return {
        "reference": action.reference,
        "group": record.group.slug,
        "meeting": record.date.isoformat(),
        "meeting_url": absolute_url(record.get_absolute_url()),
        "description": action.description,
        "owner": action.owner,
        "due": _day(action.due),
        "status": action.status,
    }


SCHEMA = "https://schema.org"


def organization_ld(group, *, absolute_url, email=None) -> dict:
    """schema.org ``Organization`` for a group's page."""
    data = {
        "@context": SCHEMA,
        "@type": "Organization",
        "name": group.name,
        "url": absolute_url(group.get_absolute_url()),
    }
    if group.acronym and group.acronym != group.name:
        data["alternateName"] = group.acronym
    if group.purpose:
        data["description"] = with_sic(group.purpose)
    if email:
        data["email"] = email
    if group.parent_id:
        data["parentOrganization"] = {
            "@type": "Organization",
            "name": group.parent.name,
            "url": absolute_url(group.parent.get_absolute_url()),
        }
    return data


def _event_status(occurrence: Occurrence | None, moved_away) -> str | None:
    """What is known of the meeting the page describes: the meeting held that day, else the
    one moved away from it; None for a record whose meeting left the schedule."""
    if occurrence is not None:
        if occurrence.moved_from:
            return f"{SCHEMA}/EventRescheduled"
        if occurrence.is_cancelled:
            return f"{SCHEMA}/EventCancelled"
        return f"{SCHEMA}/EventScheduled"
    if moved_away is not None:
        return f"{SCHEMA}/EventRescheduled"
    return None


def meeting_event_ld(page, *, absolute_url) -> dict:
    """schema.org ``Event`` for a meeting's page: the meeting that day, or, for a date
    its meeting was moved from, the moved meeting (``previousStartDate`` either way)."""
    group, occurrence = page.group, page.main
    moved_away = page.meetings.moved_away[0] if page.meetings.moved_away else None
    data = {
        "@context": SCHEMA,
        "@type": "Event",
        "name": f"{group.short_name}: {occurrence.title if occurrence else group.name}",
        "url": absolute_url(group.get_meeting_url(page.day)),
        "organizer": {
            "@type": "Organization",
            "name": group.name,
            "url": absolute_url(group.get_absolute_url()),
        },
    }
    if (status := _event_status(occurrence, moved_away)) is not None:
        data["eventStatus"] = status
    if group.purpose:
        data["description"] = with_sic(group.purpose)
    if moved_away is not None and occurrence is None:
        data["startDate"] = timezone.localtime(moved_away.start).isoformat()
        data["endDate"] = timezone.localtime(moved_away.end).isoformat()
        previous = local_datetime(moved_away.original_date, moved_away.series.start_time)
        data["previousStartDate"] = previous.isoformat()
    elif occurrence is not None:
        data["startDate"] = occurrence.local_start.isoformat()
        data["endDate"] = occurrence.local_end.isoformat()
        if occurrence.moved_from and occurrence.series is not None:
            previous = local_datetime(occurrence.moved_from, occurrence.series.start_time)
            data["previousStartDate"] = previous.isoformat()
    return data
