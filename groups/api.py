"""The JSON shape of a group, as SPEC's contract gives it."""

from .provenance import FactField, with_sic


def series_as_json(series) -> dict:
    return {
        "title": series.display_title,
        "text": with_sic(series.schedule_text),
        "rrule": series.rrule,
        "start_time": series.start_time.strftime("%H:%M") if series.start_time else None,
        "end_time": series.end_time.strftime("%H:%M") if series.end_time else None,
    }


def inferred_fields(group, series) -> list[str]:
    """The group's inferred fields (the JSON's and the CSV's ``inferred``), with
    ``schedules`` where a series' dates rest on an inference (its assumed known-from date,
    an assumed anchor), in ``FactField`` order."""
    fields = set(group.inferred_fields)
    if any(s.rests_on_inference for s in series):
        fields.add(FactField.SCHEDULES)
    return [field for field in FactField.values if field in fields]


def group_as_json(group, *, absolute_url, next_meeting=None) -> dict:
    """``group`` comes with its schedules; ``absolute_url`` makes a path absolute;
    ``next_meeting`` is its next meeting (an occurrence with ``local_start``), or None."""
    series = list(group.series.all())
    return {
        "slug": group.slug,
        "acronym": group.acronym,
        "name": group.name,
        "level": group.level.number if group.level_id else None,
        "level_note": group.level_note or None,
        "kind": group.kind,
        "workstream": group.workstream.slug if group.workstream_id else None,
        "parent": group.parent.slug if group.parent_id else None,
        "children": [child.slug for child in group.children.all()],
        "status": group.status,
        "status_label": group.get_status_display(),
        "status_note": group.status_note,
        "scheduled_status": (group.scheduled_status.as_json() if group.scheduled_status else None),
        "status_changed_at": (
            group.status_changed_at.isoformat() if group.status_changed_at else None
        ),
        "attendance": group.attendance,
        "decision_making": group.decision_making,
        "purpose": with_sic(group.purpose),
        "attendees": group.attendees,
        "timeframe": group.timeframe,
        "inferred": inferred_fields(group, series),
        "schedules": [series_as_json(s) for s in series],
        "url": absolute_url(group.get_absolute_url()),
        "calendar_url": absolute_url(group.get_calendar_url()),
        "next_meeting": next_meeting.local_start.isoformat() if next_meeting else None,
    }
