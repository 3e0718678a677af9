"""Atom feeds (RFC 4287) of the change log: everything, one group, or one workstream.

An entry enters a feed when it becomes visible, and a feed is as new as its newest visible
entry: its ``updated`` and Last-Modified, with an ETag of its content; a client holding
either gets a 304. A feed with no entries is as of a fixed date, the same in every process.
"""

import hashlib
from datetime import UTC, datetime

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import parse_http_date

from changelog.models import ChangeEntry
from core import clock

from .models import GovernanceGroup, Workstream

FEED_ENTRIES = 50
# The author of every entry: the programme office, which keeps the directory.
AUTHOR = "MHHS Programme Management Office (PMO)"
# The ``updated`` of a feed with no entries yet: fixed, so that it never moves.
EMPTY_FEED_UPDATED = datetime(2026, 1, 1, tzinfo=UTC)
# Entry ids are tag URIs (RFC 4151) under the programme's own domain: stable whatever
# host serves the directory.
TAG_AUTHORITY = "mhhsprogramme.co.uk,2026"


def entry_id(entry: ChangeEntry) -> str:
    return f"tag:{TAG_AUTHORITY}:governance-directory/changes/{entry.pk}"


class ChangesAtom(Atom1Feed):
    def latest_post_date(self):
        """The newest entry's time; with no entries, a fixed date (never the clock)."""
        if not self.items:
            return EMPTY_FEED_UPDATED
        return super().latest_post_date()


class ChangesFeed(Feed):
    feed_type = ChangesAtom
    author_name = AUTHOR
    title = "MHHS governance directory: changes"
    subtitle = (
        "Status, schedule, meeting, mailbox, paper, decision and action changes of the MHHS "
        "programme's governance."
    )

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        # The feed generator writes hundreds of small pieces, which a sync gunicorn worker
        # sends one by one: join them (the cached copy is then sent in one piece too).
        response.content = response.content
        response["ETag"] = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
        # Last-Modified is the feed's ``updated`` (set by Feed from latest_post_date).
        last_modified = parse_http_date(response["Last-Modified"])
        return get_conditional_response(
            request, etag=response["ETag"], last_modified=last_modified, response=response
        )

    def link(self, obj=None):
        return reverse("groups:changes")

    def feed_guid(self, obj=None):
        return f"tag:{TAG_AUTHORITY}:governance-directory/changes"

    def entries(self, obj):
        return ChangeEntry.objects.visible(clock.now())

    def items(self, obj=None):
        return self.entries(obj)[:FEED_ENTRIES]

    def item_title(self, item):
        return item.summary

    def item_description(self, item):
        parts = [f"Before: {item.before}" if item.before else "", f"Now: {item.after}"]
        return "\n".join(p for p in parts if p and p != "Now: ")

    def item_link(self, item):
        return item.url

    def item_guid(self, item):
        return entry_id(item)

    item_guid_is_permalink = False

    def item_updateddate(self, item):
        return item.visible_at

    def item_pubdate(self, item):
        return item.visible_at

    def item_categories(self, item):
        return [item.group_name or item.group_slug] if item.group_slug else ["Programme"]


class GroupChangesFeed(ChangesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(GovernanceGroup, slug=slug)

    def title(self, obj):
        return f"MHHS governance directory: changes to {obj.short_name}"

    def link(self, obj):
        return f"{reverse('groups:changes')}?group={obj.slug}"

    def feed_guid(self, obj):
        return f"tag:{TAG_AUTHORITY}:governance-directory/groups/{obj.slug}/changes"

    def entries(self, obj):
        return super().entries(obj).for_group(obj.slug)


class WorkstreamChangesFeed(ChangesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Workstream, slug=slug)

    def title(self, obj):
        return f"MHHS governance directory: changes in the {obj.name} workstream"

    def link(self, obj):
        return f"{reverse('groups:changes')}?workstream={obj.slug}"

    def feed_guid(self, obj):
        return f"tag:{TAG_AUTHORITY}:governance-directory/workstreams/{obj.slug}/changes"

    def entries(self, obj):
        return super().entries(obj).for_workstream(obj.slug)
