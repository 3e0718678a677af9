import pytest
from django.contrib.auth.models import Group, User

from groups.roles import PROGRAMME_OFFICE


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("admin", "admin@example.org", "a-long-password-1")


@pytest.fixture
def pmo_user(db):
    user = User.objects.create_user("pmo", "pmo@example.org", "a-long-password-2", is_staff=True)
    user.groups.add(Group.objects.get(name=PROGRAMME_OFFICE))
    return user


@pytest.fixture
def staff_user(db):
    return User.objects.create_user(
        "staff", "staff@example.org", "a-long-password-3", is_staff=True
    )
