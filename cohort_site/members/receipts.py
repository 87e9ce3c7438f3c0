"""What a receipt file really is, judged by its first bytes rather than its name."""

MAX_RECEIPT_BYTES = 5 * 1024 * 1024

# (magic bytes at the start, MIME type, extension)
RECEIPT_SIGNATURES = [
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
]


def receipt_type(head: bytes) -> tuple[str, str] | None:
    """The (MIME type, extension) of a PDF, JPEG or PNG from its first bytes; None for anything else."""
    for magic, mimetype, extension in RECEIPT_SIGNATURES:
        if head.startswith(magic):
            return mimetype, extension
    return None
