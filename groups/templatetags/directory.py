from django import template
from django.utils import timezone

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
