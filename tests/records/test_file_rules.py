"""The upload rules, exactly: what is refused, what the message says, what a name becomes."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from records.files import safe_name, sniff
from tests.records.conftest import HTML, PDF

ALLOWED = (
    "Upload a PDF, Word (DOCX), Excel (XLSX), PowerPoint (PPTX), CSV or plain text, up to 25 MB"
)


def refusal(upload, code) -> list[str]:
    """The messages of the refusal, which carries ``code`` for code that reads it."""
    with pytest.raises(ValidationError) as refused:
        sniff(upload)
    assert [error.code for error in refused.value.error_list] == [code]
    return refused.value.messages


def test_too_big_says_its_size_and_the_limit():
    """Only the size is read: nothing of a 100 MB upload is opened."""
    upload = SimpleNamespace(size=100 * 1024 * 1024, name="big.pdf")
    assert refusal(upload, "file_size") == [f"The file is 100.0 MB: the limit is 25 MB. {ALLOWED}."]


def test_an_empty_file_is_refused_and_one_byte_is_not():
    assert refusal(SimpleUploadedFile("a.txt", b""), "file_empty") == ["The file is empty."]
    assert sniff(SimpleUploadedFile("a.txt", b"a")).extension == "txt"


@pytest.mark.parametrize(
    ("content", "what"),
    [
        (HTML, "This file's content is not one of the allowed types."),
        (b"GIF89a" + b"\0" * 64, "This file's content is image/gif, which is not allowed."),
    ],
)
def test_a_disallowed_type_says_what_is_allowed(content, what):
    message = f"{what} {ALLOWED}: the type is read from the file's content, not its name."
    assert refusal(SimpleUploadedFile("a.pdf", content), "file_type") == [message]


def test_the_type_comes_from_the_content_and_the_file_is_left_at_its_start():
    upload = SimpleUploadedFile("notes.txt", PDF)
    assert sniff(upload).extension == "pdf"
    assert upload.read() == PDF


def test_a_long_name_is_cut_to_100_characters_before_its_extension():
    assert safe_name("x" * 150 + ".pdf", "pdf") == "x" * 100 + ".pdf"


@pytest.mark.parametrize(
    "content",
    [
        b'<img src="x" onerror="alert(1)">',
        b"<style>body { display: none }</style>",
        b"<!-- a comment --><p>hello</p>",
        "\u200b<html><body>hi</body></html>".encode(),
        "\ufeff\u200d \u00ad\n\t<script>alert(1)</script>".encode(),
        "\u2060<svg/onload=alert(1)>".encode("utf-8"),
        b'<?xml version="1.0"?><note/>',
        b"<!DOCTYPE note><note/>",
        b"\r\n   <p>",
        b"\xa0<b>bold</b>",  # a no-break space in Windows-1252
    ],
)
def test_text_starting_with_markup_after_invisible_characters_is_refused(content):
    refusal(SimpleUploadedFile("notes.txt", content), "file_type")


@pytest.mark.parametrize(
    "content",
    [
        b"Minutes: 1 < 2, and <html> appears later.",
        "\ufeffname,score\nA,<5\n".encode(),
        "\u200bPlain text with an invisible start.".encode(),
    ],
)
def test_text_with_markup_characters_after_its_start_is_accepted(content):
    assert sniff(SimpleUploadedFile("notes.txt", content)).extension == "txt"
