import json

from django import template
from django.template.defaultfilters import date
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from core.text import join_and as join_words

register = template.Library()


@register.filter
def iso(value):
    """A machine-readable instant for <time datetime>: UK time, to the second."""
    if not value:
        return ""
    if hasattr(value, "hour") and timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.isoformat(timespec="seconds") if hasattr(value, "hour") else value.isoformat()


@register.filter(expects_localtime=True)
def time_tag(value, display_format):
    """``value`` in a ``<time>`` element: shown as the ``date`` filter shows it in
    ``display_format``, machine-readable as ``iso`` gives it."""
    return format_html('<time datetime="{}">{}</time>', iso(value), date(value, display_format))


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` in a template, or "" when absent."""
    return mapping.get(key, "") if hasattr(mapping, "get") else ""


# <, > and & escaped inside JSON strings, so the data cannot close its <script> element.
_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def json_ld(data):
    """schema.org data as a ``<script type="application/ld+json">`` block: data, never run,
    so the Content-Security-Policy (no inline script) does not need to allow it."""
    text = json.dumps(data, ensure_ascii=False, indent=1).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


@register.filter
def links(items, text="display_name"):
    """Each of ``items`` as a link to its page, its ``text`` attribute as the link's words:
    for joining in a sentence (``|join:", "`` or ``|join_and``)."""
    return [
        format_html('<a href="{}">{}</a>', item.get_absolute_url(), getattr(item, text))
        for item in items
    ]


@register.filter
def mailto_links(addresses):
    """Each of ``addresses`` as a link that writes to it, for joining in a sentence."""
    return [format_html('<a href="mailto:{}">{}</a>', address, address) for address in addresses]


@register.filter
def uppercase_each(items):
    """Each of ``items`` in capitals (before joining them: ``|uppercase_each|join_and``)."""
    return [str(item).upper() for item in items]


@register.filter(needs_autoescape=True)
def join_and(items, autoescape=True):
    """``items`` as in a sentence: "A", "A and B", "A, B and C"."""
    escape = conditional_escape if autoescape else str
    return mark_safe(join_words(escape(item) for item in items))  # noqa: S308 (each escaped)


@register.filter
def day_classes(day):
    """The classes of a calendar day's cell (a ``meetings.selectors.Day``)."""
    classes = [
        ("past", day.is_past),
        ("other-month", not day.in_month),
        ("today", day.is_today),
        ("holiday", day.bank_holiday),
        ("empty", not (day.occurrences or day.moved_away or day.bank_holiday)),
    ]
    return " ".join(name for name, applies in classes if applies)
