"""The change log's Atom feeds: valid RFC 4287 (its RELAX NG schema), an author, ETag and
Last-Modified answered with 304, and a feed with no entries as of a fixed date."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils.http import http_date
from lxml import etree

from changelog.services import record_change
from core import clock
from groups.enums import GroupChangeKind
from groups.models import GovernanceGroup
from tests.conftest import PINNED_NOW

ATOM = "{http://www.w3.org/2005/Atom}"
SCHEMA = etree.RelaxNG(etree.parse(str(Path(__file__).with_name("atom.rng"))))
FEEDS = ("/changes.atom", "/groups/psg/changes.atom", "/workstreams/programme/changes.atom")


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return etree.fromstring(response.content)


def change(group=None, summary="PSG paused for the winter"):
    return record_change(
        kind=GroupChangeKind.STATUS_CHANGED,
        summary=summary,
        url="/groups/psg/",
        group=group,
        before="Mobilised",
        after="Ad hoc",
    )


def test_the_schema_refuses_a_feed_without_an_id():
    """The schema in use is a real check: a feed missing its atom:id fails it."""
    feed = etree.fromstring(
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title>'
        b"<updated>2026-01-01T00:00:00Z</updated></feed>"
    )
    assert not SCHEMA.validate(feed)


@pytest.mark.parametrize("path", FEEDS)
def test_each_feed_is_valid_atom_with_an_author(path, seeded, client):
    change(GovernanceGroup.objects.get(slug="psg"))
    change(summary="Programme-wide: the PMO mailbox moved")
    feed = parse(client.get(path))
    assert SCHEMA.validate(feed), SCHEMA.error_log
    # RFC 4287 4.1.1: an author for the feed (a Schematron rule RELAX NG does not check).
    (author,) = feed.findall(f"{ATOM}author")
    assert author.findtext(f"{ATOM}name") == "MHHS Programme Management Office (PMO)"
    assert feed.findall(f"{ATOM}entry")


@pytest.mark.parametrize("path", FEEDS)
def test_an_empty_feed_is_valid_and_as_of_a_fixed_date(path, seeded, client, monkeypatch):
    feed = parse(client.get(path))
    assert SCHEMA.validate(feed), SCHEMA.error_log
    assert feed.findall(f"{ATOM}entry") == []
    assert feed.findtext(f"{ATOM}updated") == "2026-01-01T00:00:00+00:00"
    first = client.get(path)
    monkeypatch.setattr(clock, "now", lambda: PINNED_NOW + timedelta(days=3))
    again = client.get(path)
    assert (again.content, again["ETag"]) == (first.content, first["ETag"])
    assert again["Last-Modified"] == first["Last-Modified"] == "Thu, 01 Jan 2026 00:00:00 GMT"


def test_a_change_elsewhere_leaves_an_empty_feed_as_it_was(seeded, client, monkeypatch):
    first = client.get("/groups/psg/changes.atom")
    monkeypatch.setattr(clock, "now", lambda: PINNED_NOW + timedelta(minutes=3))
    change(GovernanceGroup.objects.get(slug="dag"))
    again = client.get("/groups/psg/changes.atom")
    assert (again.content, again["ETag"]) == (first.content, first["ETag"])


def test_a_feed_is_as_new_as_its_newest_visible_entry(seeded, client):
    entry = change(GovernanceGroup.objects.get(slug="psg"))
    response = client.get("/groups/psg/changes.atom")
    feed = parse(response)
    assert feed.findtext(f"{ATOM}updated") == entry.visible_at.isoformat()
    assert response["Last-Modified"] == http_date(entry.visible_at.timestamp())
    assert response["ETag"].startswith('"')


@pytest.mark.parametrize("path", FEEDS)
def test_conditional_requests_get_304_until_the_feed_changes(path, seeded, client, monkeypatch):
    psg = GovernanceGroup.objects.get(slug="psg")
    change(psg)
    first = client.get(path)
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert client.get(path, headers={"if-none-match": etag}).status_code == 304
    assert client.get(path, headers={"if-modified-since": last_modified}).status_code == 304

    monkeypatch.setattr(clock, "now", lambda: PINNED_NOW + timedelta(minutes=2))
    change(psg, summary="PSG back")
    changed = client.get(path, headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert client.get(path, headers={"if-modified-since": last_modified}).status_code == 200
    assert b"PSG back" in changed.content


def test_an_unknown_groups_feed_is_404(seeded, client):
    assert client.get("/groups/no-such-group/changes.atom").status_code == 404
