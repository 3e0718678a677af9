"""Validators of meetings: whether a date is one of a series' meetings, or may be its first."""

from django.core.exceptions import ValidationError

from .enums import Frequency
from .recurrence import is_rule_date, series_dates


def series_validate_occurrence_date(*, series, day, field: str) -> None:
    """Raise unless ``day`` is a real occurrence of ``series`` under its rule."""
    if not series.has_rule:
        raise ValidationError({field: f"{series} has no regular schedule to change."})
    if day not in series_dates(series, day, day):
        raise ValidationError(
            {
                field: f"{day:%A %d %B %Y} is not a date of {series.display_title} "
                f"({series.rule_in_words})."
            }
        )


def series_validate_first_date(*, series, day, field: str) -> None:
    """Raise unless ``day`` can be the series' first meeting: a date of its monthly rule,
    or, every N weeks, a day of its weekday (the rule counts from it)."""
    if series.frequency == Frequency.EVERY_N_WEEKS:
        fits = series.anchor_date is None or day.weekday() == series.anchor_date.weekday()
    elif series.frequency == Frequency.MONTHLY:
        fits = is_rule_date(series, day)
    else:
        raise ValidationError({field: f"{series} has no regular schedule to confirm."})
    if not fits:
        raise ValidationError(
            {
                field: f"{day:%A %-d %B %Y} is not a date of {series.display_title} "
                f"({series.rule_in_words})."
            }
        )
