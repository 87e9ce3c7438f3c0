"""A programme's own wording of an email kind: the registry the app that owns the wording plugs into.

The mail app renders every email from its kind's template (templates/emails/); an app above may register one
function that, given the kind and the template's context, returns a subject and text the manager wrote for
that programme (placeholders already filled in), or None for the default. `applications/wording.py` does, for
the decision emails, from each programme's `EmailWording` rows.
"""

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar

from .enums import EmailKind

WordingSource = Callable[[EmailKind, dict], "tuple[str, str] | None"]
_sources: list[WordingSource] = []
# What a source has read during one batch of emails (`wording_batch`): None outside a batch.
_batch: ContextVar[dict | None] = ContextVar("wording_batch", default=None)


def wording_source(function: WordingSource) -> WordingSource:
    """Register the one function that finds a programme's own wording."""
    _sources[:] = [function]
    return function


def worded(kind: EmailKind, subject: str, context: dict) -> tuple[str, str | None]:
    """The subject and text to send: a programme's own wording when there is one, else `subject` and None (the
    kind's template is rendered)."""
    for source in _sources:
        found = source(kind, context)
        if found is not None:
            return found
    return subject, None


@contextlib.contextmanager
def wording_batch() -> Iterator[None]:
    """While many emails are rendered at once (`emails_queue_many`), a source reads what it needs once (each
    programme's wordings) and keeps it in `batch_memo()`, so the batch costs no query per email."""
    token = _batch.set({})
    try:
        yield
    finally:
        _batch.reset(token)


def batch_memo() -> dict | None:
    """The current batch's store for a source's reads, or None outside a batch (read afresh for each email)."""
    return _batch.get()
