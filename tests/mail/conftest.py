import socket
import threading
import time

import pytest
from aiosmtpd.controller import Controller


class ScriptedSmtpHandler:
    """An SMTP server that answers each DATA with the next scripted reply, then 250; it records what it accepted."""

    def __init__(self, replies: list[str], delay: float = 0.0):
        self.replies = list(replies)
        self.delay = delay
        self.accepted: list[bytes] = []
        self.attempts = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            time.sleep(self.delay)  # hold the connection so racing senders overlap
        with self.lock:
            self.attempts += 1
            reply = self.replies.pop(0) if self.replies else "250 OK"
            if reply.startswith("250"):
                self.accepted.append(envelope.content)
        return reply


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """Start a loopback SMTP server and point Django at it. Call it with the replies to script."""
    controllers = []

    def start(replies: list[str] = (), delay: float = 0.0) -> ScriptedSmtpHandler:
        handler = ScriptedSmtpHandler(list(replies), delay)
        controller = Controller(handler, hostname="127.0.0.1", port=free_port())
        controller.start()
        controllers.append(controller)
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = controller.port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = 10
        return handler

    yield start
    for controller in controllers:
        controller.stop()
