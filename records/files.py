"""Which uploads a meeting may publish: the type read from the content, never the name."""

import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.utils.text import get_valid_filename

MAX_BYTES = 25 * 1024 * 1024
ALLOWED_TEXT = "PDF, Word (DOCX), Excel (XLSX), PowerPoint (PPTX), CSV or plain text, up to 25 MB"

# The binary types, as filetype (a maintained magic-number detector) names them.
BINARY = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
# Text that a browser or an XML reader would take for markup: any text whose first visible
# character is "<" (a tag, a comment, an XML declaration or a doctype, whichever tag it is).
MARKUP_START = "<"
# Control characters that plain text and CSV do not contain (tab, LF, FF and CR do).
CONTROL = {chr(c) for c in range(32) if c not in (9, 10, 12, 13)} | {"\x7f"}
TEXT_ENCODINGS = ("utf-8-sig", "windows-1252")
SNIFF_BYTES = 8192


@dataclass(frozen=True)
class Sniffed:
    extension: str
    content_type: str


def _read_all(upload) -> bytes:
    data = b"".join(upload.chunks())  # chunks() starts from the beginning
    upload.seek(0)
    return data


def _invisible(character: str) -> bool:
    """Whitespace, or a format character shown as nothing: a byte order mark, a zero-width
    space or joiner, a soft hyphen, any other Unicode "Cf" character."""
    return character.isspace() or unicodedata.category(character) == "Cf"


def _visible_start(text: str) -> str:
    """The text from its first visible character on."""
    for index, character in enumerate(text):
        if not _invisible(character):
            return text[index:]
    return ""


def _text_type(data: bytes, extension: str) -> Sniffed | None:
    for encoding in TEXT_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if CONTROL.intersection(text):
            return None
        if _visible_start(text).startswith(MARKUP_START):
            return None
        charset = "utf-8" if encoding == "utf-8-sig" else encoding
        if extension == "csv":
            return Sniffed("csv", f"text/csv; charset={charset}")
        return Sniffed("txt", f"text/plain; charset={charset}")
    return None


def _refusal(what: str) -> ValidationError:
    return ValidationError(
        f"{what} Upload a {ALLOWED_TEXT}: the type is read from the file's content, not its name.",
        code="file_type",
    )


def sniff(upload) -> Sniffed:
    """The upload's type, read from its content; a ``ValidationError`` saying what is
    allowed when it is too big or not one of the allowed types."""
    if upload.size > MAX_BYTES:
        size = upload.size / (1024 * 1024)
        raise ValidationError(
            f"The file is {size:.1f} MB: the limit is 25 MB. Upload a {ALLOWED_TEXT}.",
            code="file_size",
        )
    if upload.size == 0:
        raise ValidationError("The file is empty.", code="file_empty")
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is not None:
        if kind.extension in BINARY:
            return Sniffed(kind.extension, BINARY[kind.extension])
        raise _refusal(f"This file's content is {kind.mime}, which is not allowed.")
    extension = PurePath(upload.name or "").suffix.lower().lstrip(".")
    sniffed = _text_type(_read_all(upload), extension)
    if sniffed is None:
        raise _refusal("This file's content is not one of the allowed types.")
    return sniffed


def safe_name(name: str, extension: str) -> str:
    """The original name made safe to store and send: its stem cleaned, the detected type's
    extension (so a name cannot claim another type)."""
    try:
        stem = get_valid_filename(PurePath(name or "").stem)
        stem = re.sub(r"_{2,}", "_", stem)[:100].strip("._-")
    except SuspiciousFileOperation:  # nothing left of the name
        stem = ""
    stem = stem or "document"
    return f"{stem}.{extension}"
