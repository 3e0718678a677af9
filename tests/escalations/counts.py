"""The query count of one more page, after ``query_counts_at_1x_and_10x`` sized the data."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext


def cold_and_warm(client, path) -> tuple[int, int]:
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        assert client.get(path).status_code == 200
    with CaptureQueriesContext(connection) as warm:
        assert client.get(path).status_code == 200
    return len(cold), len(warm)
