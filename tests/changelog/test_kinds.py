"""Registering an app's change kinds (changelog.kinds): what each registration holds, and the
clashes it refuses without registering anything."""

import pytest
from django.db import models

from changelog import kinds


@pytest.fixture(autouse=True)
def registry(monkeypatch):
    """The kinds the apps registered, as they are; put back after the test."""
    monkeypatch.setattr(kinds, "_labels", dict(kinds._labels))
    monkeypatch.setattr(kinds, "_categories", dict(kinds._categories))


class Tides(models.TextChoices):
    HIGH = "tide_high", "Tide high"
    LOW = "tide_low", "A low tide"


def test_a_registered_kind_has_its_label_and_category():
    assert kinds.register(kinds.Category.MEETINGS)(Tides) is Tides
    assert (kinds.label("tide_high"), kinds.label(Tides.LOW)) == ("Tide high", "A low tide")
    assert kinds.category("tide_low") == kinds.Category.MEETINGS
    assert kinds.is_registered("tide_high") and kinds.is_registered(Tides.LOW)
    assert {"tide_high", "tide_low"} <= set(kinds.of_category(kinds.Category.MEETINGS))
    assert "tide_high" not in kinds.of_category(kinds.Category.RECORDS)
    listed = kinds.all_kinds()
    assert listed == sorted(listed, key=lambda kind: kind[1])  # by label, not by kind
    assert listed.index(("tide_low", "A low tide")) < listed.index(("tide_high", "Tide high"))


def test_an_unregistered_kind_has_no_category_and_is_its_own_label():
    assert kinds.category("tide_high") is None
    assert not kinds.is_registered("tide_high")
    assert kinds.label("tide_high") == "tide_high"


def test_registering_the_same_kinds_again_is_harmless():
    kinds.register(kinds.Category.MEETINGS)(Tides)
    kinds.register(kinds.Category.MEETINGS)(Tides)
    assert kinds.label("tide_high") == "Tide high"
    assert kinds.category("tide_high") == kinds.Category.MEETINGS


def test_another_label_for_a_kind_is_refused_and_nothing_of_its_class_registered():
    kinds.register(kinds.Category.MEETINGS)(Tides)

    class Other(models.TextChoices):
        NEAP = "tide_neap", "Neap tide"
        HIGH = "tide_high", "High water"

    with pytest.raises(ValueError) as refused:
        kinds.register(kinds.Category.MEETINGS)(Other)
    assert str(refused.value) == (
        "Change kind 'tide_high' is already registered as 'Tide high', not 'High water'."
    )
    assert kinds.label("tide_high") == "Tide high"
    assert not kinds.is_registered("tide_neap")


def test_another_category_for_a_kind_is_refused_and_nothing_of_its_class_registered():
    kinds.register(kinds.Category.MEETINGS)(Tides)

    class Same(models.TextChoices):
        SPRING = "tide_spring", "Spring tide"
        HIGH = "tide_high", "Tide high"

    with pytest.raises(ValueError) as refused:
        kinds.register(kinds.Category.RECORDS)(Same)
    assert str(refused.value) == (
        "Change kind 'tide_high' is already registered under 'Meetings', not 'Papers and records'."
    )
    assert kinds.category("tide_high") == kinds.Category.MEETINGS
    assert not kinds.is_registered("tide_spring")


def test_registering_without_a_category_says_how_to():
    with pytest.raises(TypeError) as refused:
        kinds.register("meetings")
    assert str(refused.value) == (
        "kinds.register takes the kinds' category: @kinds.register(kinds.Category.MEETINGS)."
    )
