from datetime import datetime

from django import template
from django.template.defaultfilters import date
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

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


@register.simple_tag
def meeting_status(occurrence, now, group):
    """A meeting's state as its page says it: "Cancelled" or "Tentative date" (marked),
    "Held" or "Scheduled", then the day it moved from, that it is a one-off, its note, and
    the bank holiday it falls on."""
    if occurrence.is_cancelled:
        parts = [format_html('<strong class="status-cancelled">{}</strong>', "Cancelled")]
    elif occurrence.is_tentative:
        parts = [format_html('<strong class="status-tentative">{}</strong>', "Tentative date")]
    else:
        parts = ["Held" if occurrence.end <= now else "Scheduled"]
    if occurrence.moved_from:
        url, day = meeting_url(group, occurrence.moved_from), date(occurrence.moved_from, "l j F Y")
        parts.append(format_html(': moved from <a href="{}">{}</a>', url, day))
    if occurrence.one_off:
        parts.append(": a one-off meeting")
    if occurrence.note:
        parts.append(format_html(". {}", occurrence.note))
    if occurrence.bank_holiday and not occurrence.is_cancelled:
        parts.append(
            format_html(
                ' <strong class="bank-holiday">{} is a bank holiday:'
                " check with the PMO that it goes ahead.</strong>",
                occurrence.bank_holiday,
            )
        )
    return mark_safe("".join(conditional_escape(part) for part in parts))  # noqa: S308 (escaped)
