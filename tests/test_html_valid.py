"""Every public page's HTML through the Nu HTML Checker (vnu.jar, from npm)."""

import json
import subprocess

import pytest

from tests.public_pages import ALL_PAGES
from tests.sample_records import sample_records
from tests.tools import VNU, require


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
    result = subprocess.run(
        [
            "java",
            "-jar",
            str(VNU),
            "--format",
            "json",
            "--stdout",
            *map(str, tmp_path.glob("*.html")),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stdout)["messages"]
    errors = [
        f"{files.get(m.get('url', '').removeprefix('file:'))}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error"
    ]
    assert errors == []
    assert len(files) == len(ALL_PAGES)
