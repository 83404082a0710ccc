"""Errors raised while reading or extracting a document.

Each carries a one-line message meant for the person who supplied the file; the CLI prints it
and exits non-zero, the web import shows it next to the upload field.
"""


class IngestError(Exception):
    """A document that cannot be read or understood, with a message naming the problem."""

    code = "ingest_error"

    def __init__(self, message: str, *, source: str | None = None) -> None:
        self.message = message
        self.source = source
        super().__init__(f"{source}: {message}" if source else message)


class UnsupportedFormat(IngestError):
    code = "unsupported_format"


class BrokenFile(IngestError):
    """The bytes do not form a valid file of the type its name claims (e.g. a .docx that is not a zip)."""

    code = "broken_file"


class EmptyDocument(IngestError):
    code = "empty_document"


class ScannedPdf(IngestError):
    """A PDF with no text layer: it needs OCR, which bioplan does not do."""

    code = "scanned_pdf"


class FileTooLarge(IngestError):
    code = "file_too_large"


class NotChinese(IngestError):
    code = "not_chinese"


class ConverterMissing(IngestError):
    """A legacy format (.doc) needs LibreOffice, which is not installed."""

    code = "converter_missing"


class DraftInvalid(IngestError):
    """A contract-format JSON document that does not follow ../eval/GOLD_GUIDE.md."""

    code = "draft_invalid"


class DocumentNotFound(IngestError):
    """The path names no readable file (missing, a directory, or not permitted)."""

    code = "document_not_found"
