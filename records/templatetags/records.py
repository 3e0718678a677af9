from datetime import datetime

from django import template
from django.utils import timezone

register = template.Library()

FILE_KINDS = {
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint",
    "text/csv": "CSV",
    "text/plain": "Text",
}


@register.filter
def meeting_url(group, day):
    """The page of ``group``'s meeting on ``day`` (a date, or an aware datetime)."""
    if isinstance(day, datetime):
        day = timezone.localdate(day)
    return group.get_meeting_url(day)


@register.filter
def file_kind(content_type):
    return FILE_KINDS.get(content_type.split(";")[0].strip(), "File")


@register.filter
def deadline_state(deadline, today):
    return deadline.state(today)


@register.filter
def is_late(deadline, today):
    return deadline.is_late(today)
