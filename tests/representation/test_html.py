"""The representation pages' HTML, with representatives recorded, through the Nu HTML
Checker (as tests/test_html_valid.py does for the seed's pages)."""

import pytest

from tests.representation.files import GOOD, import_file
from tests.sample_records import sample_records
from tests.tools import VNU, html_errors, require

PAGES = [
    "/constituencies/",
    "/constituencies/?organisation=acme",
    "/constituencies/?organisation=zebra",
    "/constituencies/large-supplier/",
    "/constituencies/small-supplier/",
    "/groups/psg/",
    "/groups/dag/",
    "/escalations/route/?group=dag&kind=formal&constituency=large-supplier",
    "/escalations/route/?group=sitwg&kind=formal&constituency=small-supplier",
    "/escalations/route/?group=dag&kind=formal&constituency=nowhere",
    "/decisions/CCAG-2026-001/?constituency=large-supplier",
    "/decisions/CCAG-2026-001/?constituency=nowhere",
]


@pytest.mark.browser
def test_the_constituency_pages_are_valid_html(client, seeded, tmp_path):
    require(VNU, what="java")
    sample_records()
    import_file(tmp_path, GOOD)
    files = {}
    for index, path in enumerate(PAGES):
        response = client.get(path)
        assert response.status_code in (200, 400), path
        target = tmp_path / f"page{index}.html"
        target.write_bytes(response.content)
        files[str(target)] = path
    assert html_errors(files) == []
