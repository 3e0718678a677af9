"""Query counts of one page, cold (nothing cached) and warm, at the seed's size and at 10x."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import add_seed_copies


def query_counts_at_1x_and_10x(client, path) -> dict[str, tuple[int, int]]:
    counts = {}
    for size in ("1x", "10x"):
        if size == "10x":
            add_seed_copies(9)
        cache.clear()
        with CaptureQueriesContext(connection) as cold:
            assert client.get(path).status_code == 200
        with CaptureQueriesContext(connection) as warm:
            assert client.get(path).status_code == 200
        counts[size] = (len(cold), len(warm))
    return counts
