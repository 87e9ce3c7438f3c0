"""Development email: one readable line per message in the terminal, instead of whole MIME messages."""

import re
import sys

from django.core.mail.backends.base import BaseEmailBackend

# A sign-in code on a line of its own (allauth's format: four and four, letters and digits).
CODE_LINE = re.compile(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", re.MULTILINE)
FIRST_LINK = re.compile(r"https?://\S+")


def one_line(message) -> str:
    """'to ada@example.org: Your sign-in code for … · code 7KQ2-MXPL · http://…'"""
    body = message.body or ""
    parts = [f"to {', '.join(message.to)}: {message.subject}"]
    code = CODE_LINE.search(body)
    if code:
        parts.append(f"code {code.group(1)}")
    link = FIRST_LINK.search(body)
    if link:
        parts.append(link.group(0).rstrip(".,)"))
    return " · ".join(parts)


class TerminalEmailBackend(BaseEmailBackend):
    """What `make run` uses when no EMAIL_URL is set; the whole message is in the staff outbox (/staff/outbox/)."""

    def send_messages(self, email_messages):
        # The real terminal, not sys.stdout: a Celery worker redirects that into its log, one prefix per line.
        out = sys.__stdout__ or sys.stdout
        for message in email_messages:
            out.write(f"✉ {one_line(message)}\n")
            out.flush()
        return len(email_messages)
