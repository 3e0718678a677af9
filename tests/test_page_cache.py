"""The page cache: one query on a hit, fresh on the next request after any change."""

import time
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends import locmem
from django.db import OperationalError, connection
from django.db.models.signals import m2m_changed
from django.http import HttpResponse, StreamingHttpResponse
from django.test.utils import CaptureQueriesContext

from core import clock
from groups.models import GovernanceGroup
from operations import middleware as page_cache
from operations.middleware import DataVersionPageCacheMiddleware
from operations.models import DataVersion
from operations.selectors import data_version_get
from operations.services import data_version_bump, facts_loaded_record
from operations.signals import tracked_apps, tracked_models
from tests.representation.files import GOOD, import_file
from tests.sample_records import sample_records


def test_a_hit_costs_one_query_and_an_edit_shows_at_once(client, seeded, now):
    first = client.get("/groups/dag/")
    with CaptureQueriesContext(connection) as hit:
        second = client.get("/groups/dag/")
    assert len(hit) == 1
    assert first.content == second.content
    dag = GovernanceGroup.objects.get(slug="dag")
    dag.status, dag.status_note = "mobilised", "Back to monthly meetings"
    dag.save()
    assert "Back to monthly meetings" in client.get("/groups/dag/").content.decode()
    assert client.get("/api/groups/dag/").json()["status"] == "mobilised"


def test_time_dependent_pages_follow_the_clock(client, seeded, now, monkeypatch):
    today = client.get("/calendar/2026/11/").content.decode()
    assert today.split('aria-current="date"')[1].split("</td>")[0].count('datetime="2026-11-26"')
    monkeypatch.setattr(clock, "now", lambda: now + timedelta(days=1))
    tomorrow = client.get("/calendar/2026/11/").content.decode()
    assert 'datetime="2026-11-27"' in tomorrow.split('aria-current="date"')[1].split("</td>")[0]


def test_an_entry_lives_as_long_as_its_key(client, seeded, now, monkeypatch):
    """The key names the minute, so no request asks for it once the minute turns: a page
    first asked for at 09:00:45 is kept 15 seconds, not longer (the clock stays at 09:00:45,
    the key with it; the cache's own clock moves on)."""
    monkeypatch.setattr(clock, "now", lambda: now + timedelta(seconds=45))
    stored_by = time.time()
    client.get("/groups/dag/")

    def queries_after(seconds):
        monkeypatch.setattr(locmem, "time", SimpleNamespace(time=lambda: stored_by + seconds))
        with CaptureQueriesContext(connection) as queries:
            client.get("/groups/dag/")
        return len(queries)

    assert queries_after(14.5) == 1, "still the same minute: served from the cache"
    assert queries_after(15.5) > 1, "past 09:01 the key is dead: its entry is gone"


def test_errors_and_admin_are_not_cached(client, seeded):
    assert client.get("/groups/?level=99").status_code == 400
    with CaptureQueriesContext(connection) as again:
        assert client.get("/groups/?level=99").status_code == 400
    assert len(again) > 1


def test_cached_feed_answers_conditional_requests(client, seeded):
    first = client.get("/calendar.ics")
    client.get("/calendar.ics")  # cached now
    with CaptureQueriesContext(connection) as hit:
        not_modified = client.get("/calendar.ics", HTTP_IF_NONE_MATCH=first["ETag"])
    assert not_modified.status_code == 304
    assert len(hit) == 1


def test_weak_validators_match_for_revalidation(client, seeded):
    first = client.get("/calendar.ics")
    client.get("/calendar.ics")
    weak = client.get("/calendar.ics", HTTP_IF_NONE_MATCH=f'"other", W/{first["ETag"]}')
    assert weak.status_code == 304
    assert weak["ETag"] == first["ETag"]


def test_revalidation_alone_fills_the_etag_cache(client, seeded):
    """After a revalidation alone (no body kept), the kept validators answer the tag, and
    the same tag sent as weak: one query each."""
    etag = client.get("/calendar.ics")["ETag"]
    cache.clear()  # as after the minute turns: only revalidating clients come
    assert client.get("/calendar.ics", HTTP_IF_NONE_MATCH=etag).status_code == 304
    with CaptureQueriesContext(connection) as hit:
        assert client.get("/calendar.ics", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert len(hit) == 1
    with CaptureQueriesContext(connection) as hit:
        weak = client.get("/calendar.ics", HTTP_IF_NONE_MATCH=f'"other", W/{etag}')
    assert (weak.status_code, weak["ETag"], len(hit)) == (304, etag, 1)


def _version():
    return data_version_get().version


def test_every_kind_of_many_to_many_change_moves_the_data_version(seeded):
    """Adding, removing and clearing "replaced by" each show on the next request."""
    tmag = GovernanceGroup.objects.get(slug="tmag")
    psg = GovernanceGroup.objects.get(slug="psg")
    steps = [
        lambda: tmag.replaced_by.add(psg),
        lambda: tmag.replaced_by.remove(psg),
        lambda: tmag.replaced_by.clear(),
        lambda: psg.replaces.add(tmag),
    ]
    for step in steps:
        before = _version()
        step()
        assert _version() == before + 1


def test_a_page_shows_a_removed_replacement_at_once(client, seeded, now):
    assert "/groups/qag/" in client.get("/groups/tmag/").content.decode()
    tmag = GovernanceGroup.objects.get(slug="tmag")
    tmag.replaced_by.remove(GovernanceGroup.objects.get(slug="qag"))
    banner = client.get("/groups/tmag/").content.decode().split('class="replaced-banner"')[1]
    assert "/groups/qag/" not in banner.split("</p>")[0]
    tmag.replaced_by.clear()
    assert 'class="replaced-banner"' not in client.get("/groups/tmag/").content.decode()


def test_an_atom_feed_is_sent_in_one_piece_fresh_and_cached(client, seeded, now):
    """The feed generator writes hundreds of small pieces; a sync gunicorn worker sends
    each piece the WSGI iterable yields separately (bench: 126 against 2,387 req/s)."""
    for path in ("/changes.atom", "/groups/psg/changes.atom", "/workstreams/test/changes.atom"):
        fresh, cached = client.get(path), client.get(path)
        assert len(list(fresh)) == 1 and len(list(cached)) == 1
        assert b"".join(cached) == fresh.content


def _directory_data_models(config) -> list:
    return [model for model in config.get_models() if model is not DataVersion]


# Every app of this project (a package at the top of the repository) with models, read from
# the app registry here and not from the page cache's own list, so an app it leaves out fails.
_WITH_MODELS = [
    config
    for config in apps.get_app_configs()
    if Path(config.module.__file__).resolve().parents[1] == Path(settings.BASE_DIR).resolve()
    and _directory_data_models(config)
]
PROJECT_APPS = [config.label for config in _WITH_MODELS if getattr(config, "page_data", True)]
# Apps whose rows no page shows (bookkeeping), which opt out with ``page_data = False``.
BOOKKEEPING_APPS = [config.label for config in _WITH_MODELS if config.label not in PROJECT_APPS]


def test_the_project_apps_are_read_from_the_registry():
    assert {"groups", "meetings", "escalations", "records"} <= set(PROJECT_APPS)


def test_only_the_subscriptions_opt_out_of_the_page_cache():
    """An app opting out is a decision, named here; the page cache then leaves it out."""
    assert BOOKKEEPING_APPS == ["follow"]
    assert not set(BOOKKEEPING_APPS) & {config.label for config in tracked_apps()}


@pytest.mark.parametrize("label", PROJECT_APPS)
def test_saving_any_model_of_a_project_app_moves_the_data_version(label, seeded, tmp_path):
    """Each model of the app that has a row (the seed's, the sample records' or the sample
    representatives') is saved as it is, every field written (a save that names no field
    and changes nothing writes nothing); each save shows on the next request."""
    sample_records()
    import_file(tmp_path, GOOD)
    saved = []
    for model in _directory_data_models(apps.get_app_config(label)):
        row = model._base_manager.order_by("pk").first()
        if row is None:
            continue
        before = _version()
        row.save(update_fields=[f.name for f in model._meta.concrete_fields if not f.primary_key])
        assert _version() == before + 1, f"saving a {model._meta.label} left the pages stale"
        saved.append(model)
    assert saved, f"no row of {label} to save: give the seed or sample_records one"


def test_the_page_cache_tracks_the_project_apps_that_hold_page_data_and_their_models():
    # operations holds only the data version, an app of the project with a model, but
    # none of the page data.
    assert [config.label for config in tracked_apps()] == [
        config.label
        for config in apps.get_app_configs()
        if config.label in {*PROJECT_APPS, "operations"}
    ]
    models = tracked_models()
    assert DataVersion not in models
    assert set(models) == {
        model for label in PROJECT_APPS for model in apps.get_app_config(label).get_models()
    } - {DataVersion}


@pytest.mark.parametrize("action", ["pre_add", "pre_remove", "pre_clear"])
def test_the_signal_before_a_many_to_many_change_moves_nothing(action, seeded):
    """Django signals before a change as well as after it; only the change itself (the
    ``post_`` signals, above) moves the data version."""
    tmag, psg = (GovernanceGroup.objects.get(slug=slug) for slug in ("tmag", "psg"))
    before = _version()
    m2m_changed.send(
        sender=GovernanceGroup.replaced_by.through,
        instance=tmag,
        action=action,
        reverse=False,
        model=GovernanceGroup,
        pk_set={psg.pk},
        using="default",
    )
    assert _version() == before


def test_loading_the_facts_records_when_and_moves_the_data_version(seeded, now):
    before = data_version_get()
    later = now + timedelta(hours=3)
    facts_loaded_record(now=later)
    after = data_version_get()
    assert (after.version, after.facts_loaded_at, after.changed_at) == (
        before.version + 1,
        later,
        later,
    )
    facts_loaded_record()  # now: the clock's
    assert data_version_get().facts_loaded_at == now
    assert DataVersion.objects.count() == 1


def test_the_first_change_makes_the_data_version_one(seeded, now):
    DataVersion.objects.all().delete()
    data_version_bump()
    (version,) = DataVersion.objects.all()
    assert (version.pk, version.version, version.changed_at) == (1, 1, now)
    data_version_bump()
    assert data_version_get().version == 2
    DataVersion.objects.all().delete()
    data_version_bump(now=now + timedelta(minutes=5))  # a time given, not the clock's
    assert DataVersion.objects.get().changed_at == now + timedelta(minutes=5)


@pytest.mark.parametrize(
    "response, kept",
    [
        (HttpResponse("a page"), True),
        (HttpResponse("a page", headers={"Cache-Control": "max-age=60"}), True),
        (HttpResponse("not here", status=404), False),
        (HttpResponse(status=304), False),
        (StreamingHttpResponse(iter(["a", "page"])), False),
        (HttpResponse("a page", headers={"Cache-Control": "private, max-age=0"}), False),
    ],
    ids=["page", "public", "error", "not-modified", "streamed", "private"],
)
def test_only_a_whole_public_200_is_kept(response, kept):
    assert DataVersionPageCacheMiddleware._cacheable(response) is kept


def test_a_response_setting_a_cookie_is_not_kept():
    response = HttpResponse("a page")
    response.set_cookie("csrftoken", "a-token")
    assert DataVersionPageCacheMiddleware._cacheable(response) is False


def queries_for(client, path, **extra) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.generic(extra.pop("method", "GET"), path, **extra).status_code == 200
    return len(queries)


def test_only_gets_are_served_from_the_cache(client, seeded):
    assert queries_for(client, "/groups/dag/", method="HEAD") > 1
    assert queries_for(client, "/groups/dag/", method="HEAD") > 1
    assert queries_for(client, "/groups/dag/") > 1  # a HEAD kept nothing
    assert queries_for(client, "/groups/dag/") == 1


def test_the_health_check_is_never_served_from_the_cache(client, seeded):
    queries_for(client, "/healthz")
    assert queries_for(client, "/healthz") > 1


def test_each_host_and_each_query_string_has_its_own_entry(client, seeded):
    """A page names its own address (links in feeds, structured data), so one asked for
    under another host, or with another query, is made for it."""
    assert queries_for(client, "/groups/") > 1
    assert queries_for(client, "/groups/") == 1
    assert queries_for(client, "/groups/?level=4") > 1
    assert queries_for(client, "/groups/", HTTP_HOST="localhost") > 1
    assert queries_for(client, "/groups/", HTTP_HOST="localhost") == 1


def test_a_database_that_cannot_say_its_version_is_a_503_saying_so(client, monkeypatch, caplog):
    def unreachable(request):
        raise OperationalError("connection refused")

    monkeypatch.setattr(page_cache, "data_version_for", unreachable)
    response = client.get("/groups/")
    assert response.status_code == 503
    assert response.content.decode().startswith("The directory's database is not answering.")
    assert "503 for GET /groups/: database unavailable: OperationalError: connection refused" in (
        caplog.text
    )


def test_the_next_minute_is_another_entry(client, seeded, now, monkeypatch):
    """A page that depends on the time is made again when the minute turns, however long
    its entry would otherwise be kept."""
    assert queries_for(client, "/groups/dag/") > 1
    assert queries_for(client, "/groups/dag/") == 1
    monkeypatch.setattr(clock, "now", lambda: now + timedelta(minutes=1))
    assert queries_for(client, "/groups/dag/") > 1


def test_a_conditional_request_for_a_page_without_a_tag_gets_the_page(client, seeded):
    """HTML pages carry no ETag: nothing is kept to revalidate them, and a client sending
    one anyway gets the page."""
    first = client.get("/groups/dag/")
    assert not first.has_header("ETag")
    again = client.get("/groups/dag/", HTTP_IF_NONE_MATCH='"anything"')
    assert again.status_code == 200
    assert again.content == first.content


def test_the_validators_live_as_long_as_the_page(client, seeded, now, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: now + timedelta(seconds=45))
    stored_by = time.time()
    etag = client.get("/calendar.ics")["ETag"]
    monkeypatch.setattr(locmem, "time", SimpleNamespace(time=lambda: stored_by + 15.5))
    with CaptureQueriesContext(connection) as revalidated:
        assert client.get("/calendar.ics", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert len(revalidated) > 1, "past 09:01 the validators are gone with the page"
