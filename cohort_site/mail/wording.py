"""A programme's own wording of an email kind: the registry the app that owns the wording plugs into.

The mail app renders every email from its kind's template (templates/emails/); an app above may register one
function that, given the kind and the template's context, returns a subject and text the manager wrote for
that programme (placeholders already filled in), or None for the default. `applications/wording.py` does, for
the decision emails, from each programme's `EmailWording` rows.
"""

from collections.abc import Callable

from .enums import EmailKind

WordingSource = Callable[[EmailKind, dict], "tuple[str, str] | None"]
_sources: list[WordingSource] = []


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
