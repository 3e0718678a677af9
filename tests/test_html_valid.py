"""Every public page's HTML through the Nu HTML Checker (vnu.jar, from npm)."""

import pytest

from tests.public_pages import ALL_PAGES
from tests.sample_records import sample_records
from tests.tools import VNU, html_errors, require


@pytest.mark.browser
def test_every_page_is_valid_html(client, seeded, now, tmp_path):
    require(VNU, what="java")
    sample_records()
    files = {}
    for index, path in enumerate(ALL_PAGES):
        response = client.get(path)
        assert response.status_code in (200, 400, 404), path
        target = tmp_path / f"page{index}.html"
        target.write_bytes(response.content)
        files[str(target)] = path
    assert html_errors(files) == []
    assert len(files) == len(ALL_PAGES)
