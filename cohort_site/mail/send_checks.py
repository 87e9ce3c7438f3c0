"""Whether a queued message is still wanted as it goes: the registry higher apps plug into.

A nudge asks someone to do something; if they do it while the nudge waits in the queue (a retry after a mail
server's refusal, a busy worker), it must not go. An app registers, for a kind of email, a function of the
message's key that says whether it is still wanted; one that is not is skipped as out of date, not sent:

    @still_wanted(EmailKind.LEARNING_NUDGE)
    def nudge_still_wanted(key): ...
"""

from collections.abc import Callable

from .enums import EmailKind

SendCheck = Callable[[str], bool]
_CHECKS: dict[EmailKind, SendCheck] = {}


def still_wanted(kind: EmailKind) -> Callable[[SendCheck], SendCheck]:
    def register(function: SendCheck) -> SendCheck:
        _CHECKS[EmailKind(kind)] = function
        return function

    return register


def is_still_wanted(kind: str, key: str) -> bool:
    """True unless a check registered for the kind says the message of `key` is no longer wanted."""
    check = _CHECKS.get(EmailKind(kind)) if kind in EmailKind.values else None
    return check is None or check(key)
