"""The main menu, with the section of the current page marked."""

from dataclasses import dataclass

from django.urls import reverse

# (label, URL name, the path prefixes that belong to the section)
SECTIONS = [
    ("Hierarchy", "directory:home", ()),
    ("Groups", "directory:group_list", ("/groups/",)),
    ("Workstreams", "groups:workstreams", ("/workstreams/",)),
    ("Calendar", "meetings:this_month", ("/calendar/",)),
    ("My calendar", "meetings:my_calendar", ("/my-calendar/",)),
    ("Decisions", "records:decisions", ("/decisions/",)),
    ("Escalations", "escalations:guidance", ("/escalations/",)),
    ("Who represents me", "representation:constituencies", ("/constituencies/",)),
    ("Contact", "groups:contact", ("/contact/",)),
    ("Changes", "groups:changes", ("/changes/",)),
    ("Search", "directory:search", ("/search/",)),
]


@dataclass(frozen=True)
class MenuItem:
    label: str
    url: str
    current: bool


def main_menu(path: str) -> list[MenuItem]:
    items = []
    for label, name, prefixes in SECTIONS:
        url = reverse(name)
        current = path == url or any(path.startswith(prefix) for prefix in prefixes)
        items.append(MenuItem(label, url, current))
    return items
