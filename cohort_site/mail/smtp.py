"""Django's SMTP backend, telling the sender how far a message got, so a failure can be judged by where it came.

SMTP hands a message over in one step: after the DATA command the client sends the whole text and a final dot,
and the server answers 250 (taken), 4xx/5xx (refused) or nothing (the connection drops, or the answer is
slower than EMAIL_TIMEOUT). Before the text goes, a failure means the server never had the message: it is safe
to try again. After the text went and before any answer, nobody can know whether the server took it; sending it
again could deliver it twice. `DeliveryTrace.phase` records which side of that line a failure fell on, and
`DeliveryTrace.before_text` runs just before the text goes (the sender records it in the database, and may
refuse by raising, in which case nothing of the text is sent).
"""

import enum
import functools
import smtplib
from collections.abc import Callable
from dataclasses import dataclass

from django.core.mail.backends import smtp


class Phase(enum.StrEnum):
    ENVELOPE = "envelope"  # connecting, greeting, TLS, sign-in, MAIL FROM, RCPT TO
    DATA = "data"  # the DATA command is sent; waiting for the server's 354
    READY = "ready"  # the server said 354: the text goes next
    TEXT = "text"  # the text is going; the server takes nothing without the final dot
    AWAITING_ANSWER = "awaiting-answer"  # the text and its final dot went: the server has the whole message
    ACCEPTED = "accepted"  # the server answered 250 to the text


@dataclass
class DeliveryTrace:
    before_text: Callable[[], None] | None = None
    phase: Phase = Phase.ENVELOPE

    @property
    def handed_over(self) -> bool:
        """Whether the server has had the whole message (and may have taken it, whatever happened next)."""
        return self.phase in (Phase.AWAITING_ANSWER, Phase.ACCEPTED)


class _Traced:
    def __init__(self, *args, trace: DeliveryTrace, **kwargs):
        self.trace = trace  # before connecting: the constructor speaks SMTP already
        super().__init__(*args, **kwargs)

    def data(self, msg):
        self.trace.phase = Phase.DATA
        code, reply = super().data(msg)
        if code == 250:
            self.trace.phase = Phase.ACCEPTED
        return code, reply

    def getreply(self):
        code, reply = super().getreply()
        if self.trace.phase == Phase.DATA and code == 354:
            self.trace.phase = Phase.READY
        return code, reply

    def send(self, s):
        if self.trace.phase != Phase.READY:
            return super().send(s)
        if self.trace.before_text is not None:
            self.trace.before_text()
        self.trace.phase = Phase.TEXT
        super().send(s)
        self.trace.phase = Phase.AWAITING_ANSWER
        return None


class TracedSMTP(_Traced, smtplib.SMTP):
    pass


class TracedSMTP_SSL(_Traced, smtplib.SMTP_SSL):
    pass


class EmailBackend(smtp.EmailBackend):
    """Django's SMTP backend, with a `trace` of how far the last message got."""

    def __init__(self, *args, trace: DeliveryTrace | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.trace = trace if trace is not None else DeliveryTrace()

    @property
    def connection_class(self):
        return functools.partial(TracedSMTP_SSL if self.use_ssl else TracedSMTP, trace=self.trace)


# The configured backend, traced when it is Django's SMTP one (other backends, such as the console's in
# development or the tests' in-memory one, have no server that could take a message and then go quiet).
TRACED_BACKENDS = {"django.core.mail.backends.smtp.EmailBackend": f"{__name__}.EmailBackend"}
