import json

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def iso(value):
    """A machine-readable instant for <time datetime>: UK time, to the second."""
    if not value:
        return ""
    if hasattr(value, "hour") and timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.isoformat(timespec="seconds") if hasattr(value, "hour") else value.isoformat()


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
