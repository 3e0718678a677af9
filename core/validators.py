"""Validators shared by the apps' models."""

import unicodedata

from django.core.exceptions import ValidationError

_NAMES = {"\r": "a carriage return", "\n": "a line break", "\0": "a NUL character"}


def no_control_characters(value: str) -> None:
    """One-line text (a title, a note, an owner) holds no control character: no line break,
    carriage return, NUL, tab or other Unicode "Cc" character."""
    for character in value or "":
        if unicodedata.category(character) == "Cc":
            what = _NAMES.get(character, f"the control character U+{ord(character):04X}")
            raise ValidationError(
                f"This is one line of text: remove {what}. Line breaks, tabs and other "
                "control characters are not allowed here.",
                code="control_characters",
            )
