"""Atom feeds (RFC 4287) of the change log: everything, one group, or one workstream."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from .models import ChangeEntry, GovernanceGroup, Workstream

FEED_ENTRIES = 50
# Entry ids are tag URIs (RFC 4151) under the programme's own domain: stable whatever
# host serves the directory.
TAG_AUTHORITY = "mhhsprogramme.co.uk,2026"


def entry_id(entry: ChangeEntry) -> str:
    return f"tag:{TAG_AUTHORITY}:governance-directory/changes/{entry.pk}"


class ChangesFeed(Feed):
    feed_type = Atom1Feed
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
        return response

    def link(self, obj=None):
        return reverse("groups:changes")

    def feed_guid(self, obj=None):
        return f"tag:{TAG_AUTHORITY}:governance-directory/changes"

    def entries(self, obj):
        return ChangeEntry.objects.select_related("group")

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
        return item.at

    def item_pubdate(self, item):
        return item.at

    def item_categories(self, item):
        return [item.group.short_name] if item.group else ["Programme"]


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
        return super().entries(obj).filter(group=obj)


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
        return super().entries(obj).filter(group__workstream=obj)
