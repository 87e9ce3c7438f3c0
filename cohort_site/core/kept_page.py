"""A rendered page kept in the shared cache and served again with each request's own tokens.

The page's text is cut at its per-request tokens (the CSRF token of its forms, a form's submission token), and
each piece is also kept as raw deflate blocks flushed to a byte boundary. Serving it puts this request's tokens
back: a visitor who accepts gzip is sent a gzip stream joined from the stored blocks, the tokens as stored
(uncompressed) blocks and the CRC computed over the pieces (as pigz joins the blocks its threads compress), with
the same random header padding against BREACH as Django's `GZipMiddleware`; no page is compressed per request.
The public pages (`applications.page_cache`) and the member's dashboard (`dashboards.member_page`) keep theirs so.
"""

import gzip
import re
import secrets
import struct
import uuid
import zlib
from dataclasses import dataclass
from typing import Any, Self

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers

CSRF_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SUBMISSION_VALUE = re.compile(r'name="submission_token" value="([^"]+)"')
CSRF_SLOT = "\x00csrf\x00"
SUBMISSION_SLOT = "\x00submission\x00"
SLOTS = re.compile("(\x00csrf\x00|\x00submission\x00)")
ACCEPTS_GZIP = re.compile(r"\bgzip\b")  # as Django's GZipMiddleware reads Accept-Encoding
# Random padding of the gzip header, as Django's GZipMiddleware adds against BREACH.
GZIP_MAX_RANDOM_BYTES = 100
GZIP_END = zlib.compressobj(6, zlib.DEFLATED, -15).flush()  # an empty final block


def _stored_block(data: bytes) -> bytes:
    """`data` as one stored (uncompressed) deflate block, not final: for the per-request tokens, random and a few
    dozen bytes, which would not compress, and a compressor costs a tenth of a millisecond to set up."""
    return b"\x00" + struct.pack("<HH", len(data), len(data) ^ 0xFFFF) + data


def _deflated(data: bytes) -> bytes:
    """`data` as raw deflate blocks, flushed to a byte boundary and not final: independent of what comes before
    or after, so blocks made apart join into one stream (as pigz joins its threads' blocks)."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)


@dataclass(frozen=True)
class KeptPage:
    """A rendered page as kept: its text cut at the per-request tokens (`pieces`, with `slots` naming the token
    after each piece but the last), each piece also deflated ahead (`deflated`)."""

    pieces: tuple[bytes, ...]
    slots: tuple[str, ...]
    deflated: tuple[bytes, ...]

    @classmethod
    def of(cls, html: str, **fields: Any) -> Self:
        """The page `html` cut at its tokens; `fields` are a subclass's own (what the page was made for)."""
        for pattern, slot in ((CSRF_VALUE, CSRF_SLOT), (SUBMISSION_VALUE, SUBMISSION_SLOT)):
            for value in set(pattern.findall(html)):
                html = html.replace(value, slot)
        parts = SLOTS.split(html)
        pieces = tuple(part.encode() for part in parts[::2])
        return cls(
            pieces=pieces,
            slots=tuple(parts[1::2]),
            deflated=tuple(_deflated(piece) for piece in pieces),
            **fields,
        )

    def response(self, request: HttpRequest) -> HttpResponse:
        """The page with this request's own CSRF token (and cookie) and a fresh submission token: compressed when
        the visitor accepts gzip, as Django's GZipMiddleware would, from the stored blocks."""
        tokens = {
            # get_token: a new mask of the visitor's secret, and its cookie set on the way out
            CSRF_SLOT: get_token(request).encode() if CSRF_SLOT in self.slots else b"",
            SUBMISSION_SLOT: str(uuid.uuid4()).encode(),
        }
        filled = [tokens[slot] for slot in self.slots]
        if not ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            body = b"".join(piece for pair in zip(self.pieces, [*filled, b""], strict=True) for piece in pair)
            response = HttpResponse(body)
            patch_vary_headers(response, ("Cookie",))  # the page of who asks: another cookie, another page
            return response
        crc, size, blocks = 0, 0, []
        for piece, deflated, token in zip(self.pieces, self.deflated, [*filled, b""], strict=True):
            crc = zlib.crc32(token, zlib.crc32(piece, crc))
            size += len(piece) + len(token)
            blocks += [deflated, _stored_block(token)] if token else [deflated]
        padding = b"a" * secrets.randbelow(GZIP_MAX_RANDOM_BYTES) + b"\x00"
        header = b"\x1f\x8b\x08" + bytes([gzip.FNAME]) + b"\x00\x00\x00\x00\x00\xff" + padding
        trailer = struct.pack("<II", crc, size & 0xFFFFFFFF)
        response = HttpResponse(b"".join([header, *blocks, GZIP_END, trailer]))
        response.headers["Content-Encoding"] = "gzip"
        # The page of who asks (another cookie, another page), compressed (GZipMiddleware leaves it alone).
        patch_vary_headers(response, ("Cookie", "Accept-Encoding"))
        return response
