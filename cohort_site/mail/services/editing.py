"""A draft edited by staff before it is sent: the manager's own wording, kept, and sent as she wrote it.

Some drafts are brought up to date as they are sent (mail/drafts.py: an offer's deadline moves on by the days
it waited). An edited draft keeps the manager's words, and the lines the programme rewrites are rewritten in
her text too: the programme's wording before the first edit is kept beside it (`original_text`), and each of
its lines that changes as the draft is sent is replaced where it stands in her text. A line she changed or
removed cannot be brought up to date, so that draft is not sent until she keeps the line or edits it again.
"""

import datetime
import difflib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ..enums import EmailStatus
from ..models import OutgoingEmail

# What a manager may type: the longest decision email is a few hundred words.
EDITED_TEXT_LIMIT = 20000


class EditRefused(ValidationError):
    pass


@transaction.atomic
def email_draft_edit(
    *, email: OutgoingEmail, subject: str, body_text: str, now: datetime.datetime | None = None
) -> OutgoingEmail:
    """Replace a draft's subject and text with the manager's. Only a draft (not yet sent, not being sent): a
    draft sent meanwhile by someone else is refused with the reason. Its HTML is then laid out from the text."""
    now = now or timezone.now()
    locked = OutgoingEmail.objects.select_for_update().get(pk=email.pk)
    if locked.status != EmailStatus.DRAFT:
        raise EditRefused(
            "This email is no longer a draft (it has been sent or skipped), so it cannot be edited."
        )
    if locked.secrets:
        raise EditRefused(
            "This email holds a sign-in code or link for its recipient only, so it cannot be edited."
        )
    subject, body_text = subject.strip(), body_text.strip() + "\n"
    if not subject or not body_text.strip():
        raise EditRefused("An email needs a subject and some text.")
    if len(body_text) > EDITED_TEXT_LIMIT:
        raise EditRefused(f"Keep the text under {EDITED_TEXT_LIMIT} characters.")
    fields = ["subject", "body_text", "body_html", "edited_at"]
    if locked.edited_at is None:
        locked.original_subject, locked.original_text = locked.subject, locked.body_text
        fields += ["original_subject", "original_text"]
    locked.subject, locked.body_text, locked.body_html, locked.edited_at = subject, body_text, "", now
    locked.save(update_fields=fields)
    return locked


@transaction.atomic
def email_draft_edit_undo(*, email: OutgoingEmail) -> OutgoingEmail:
    """Put an edited draft back to the programme's own wording."""
    locked = OutgoingEmail.objects.select_for_update().get(pk=email.pk)
    if locked.status != EmailStatus.DRAFT:
        raise EditRefused(
            "This email is no longer a draft (it has been sent or skipped), so it cannot be edited."
        )
    if locked.edited_at is None:
        return locked
    locked.subject, locked.body_text = locked.original_subject, locked.original_text
    locked.edited_at, locked.original_subject, locked.original_text = None, "", ""
    locked.save(update_fields=["subject", "body_text", "edited_at", "original_subject", "original_text"])
    return locked


def _common_start(a: str, b: str) -> int:
    """How many characters two strings share at their start."""
    count = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        count += 1
    return count


def changed_phrase(old: str, new: str) -> tuple[str, str]:
    """The words that differ between two versions of a line: "Reply by Monday 3 May." and "Reply by Wednesday
    5 May." differ in "Monday 3" and "Wednesday 5" (whole words, the common start and end left out)."""
    start = _common_start(old, new)
    end = _common_start(old[start:][::-1], new[start:][::-1])
    while start > 0 and not old[start - 1].isspace():
        start -= 1
    old_end, new_end = len(old) - end, len(new) - end
    while old_end < len(old) and not old[old_end].isspace():
        old_end, new_end = old_end + 1, new_end + 1
    return old[start:old_end], new[start:new_end]


def carry_changes(before: str, after: str, edited: str) -> tuple[str, str]:
    """`edited` with what changed from `before` to `after` (the programme's wording then and now) changed in it
    too: each changed line where it stands in the edited text, else the words that changed in it when they are
    there once. Returns the text and "", or the edited text unchanged and the line that could not be found in it
    (the manager changed or removed it)."""
    if before == after:
        return edited, ""
    old_lines, new_lines = before.splitlines(keepends=True), after.splitlines(keepends=True)
    result = edited
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        old, new = "".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])
        if old.strip() and result.count(old) == 1:
            result = result.replace(old, new)
            continue
        old_words, new_words = changed_phrase(old, new)
        if (
            tag == "replace"
            and i2 - i1 == j2 - j1 == 1
            and old_words.strip()
            and result.count(old_words) == 1
        ):
            result = result.replace(old_words, new_words)
            continue
        return edited, old.strip() or "".join(old_lines[max(i1 - 1, 0) : i1]).strip()
    return result, ""
