"""Writes and validation for meetings."""

from django.core.exceptions import ValidationError

from .recurrence import series_dates


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
