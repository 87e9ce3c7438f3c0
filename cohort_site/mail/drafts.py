"""A draft brought up to date as it is sent: the registry higher apps plug into from their `drafts.py`.

A decision email may wait in the manager's drafts for days; what it says may depend on when it goes (an offer's
clock starts when its email is sent, so the deadline it states moves on). An app registers, for a kind of email,
a function called inside the transaction that moves the drafts to the queue, with the drafts of that kind just
moved and the moment; it returns, for the drafts to rewrite, their new subject and template context, or None
for a draft that is out of date (it is skipped, not sent):

    @before_draft_sent(EmailKind.DECISION_OFFERED)
    def offers_start_their_clock(drafts, now):
        return {draft.email_id: Redraft(subject=..., context=...) for draft in drafts}
"""

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from .enums import EmailKind


@dataclass(frozen=True)
class DraftSent:
    """A draft moving to the queue: its id, key and the row it is about."""

    email_id: int
    key: str
    about_id: int | None


@dataclass(frozen=True)
class Redraft:
    """A draft's new subject and template context (its kind's templates render it again)."""

    subject: str
    context: dict = field(default_factory=dict)


DraftHook = Callable[[list[DraftSent], datetime.datetime], Mapping[int, Redraft | None]]
_DRAFT_HOOKS: dict[EmailKind, DraftHook] = {}


def before_draft_sent(kind: EmailKind) -> Callable[[DraftHook], DraftHook]:
    def register(function: DraftHook) -> DraftHook:
        _DRAFT_HOOKS[EmailKind(kind)] = function
        return function

    return register


def draft_hooks(kinds: Iterable[str]) -> dict[EmailKind, DraftHook]:
    """The registered hooks of these kinds."""
    wanted = {EmailKind(kind) for kind in kinds}
    return {kind: hook for kind, hook in _DRAFT_HOOKS.items() if kind in wanted}
