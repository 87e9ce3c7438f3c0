import contextlib
import socket
import threading
import time

import pytest
from aiosmtpd.controller import Controller
from kombu import pools

from cohort_site.core.data_version import shared_version_replace

# Scripted instead of a reply: close the connection without answering (the server had the whole text).
DROP = "drop"


class ScriptedSmtpHandler:
    """An SMTP server that answers each DATA with the next scripted reply (or DROP), then 250; it records what
    it was given and what it accepted. `delay` holds each answer to the text that long (a slow server);
    `on_rcpt` is called at each RCPT TO and may return DROP to close the connection there, before the text."""

    def __init__(self, replies: list[str], delay: float = 0.0, on_rcpt=None):
        self.replies = list(replies)
        self.delay = delay
        self.on_rcpt = on_rcpt
        self.accepted: list[bytes] = []
        self.received: list[bytes] = []
        self.attempts = 0
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.on_rcpt is not None and self.on_rcpt() == DROP:
            server.transport.abort()
            return "421 closing"  # never reaches the client: the connection is gone
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            time.sleep(self.delay)  # hold the connection so racing senders overlap, or the client times out
        with self.lock:
            self.attempts += 1
            self.received.append(envelope.content)
            reply = self.replies.pop(0) if self.replies else "250 OK"
            if reply == DROP:
                server.transport.abort()
                return "250 OK"  # never reaches the client: the connection is gone
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

    def start(
        replies: list[str] = (), delay: float = 0.0, on_rcpt=None, timeout: float = 10
    ) -> ScriptedSmtpHandler:
        handler = ScriptedSmtpHandler(list(replies), delay, on_rcpt)
        controller = Controller(handler, hostname="127.0.0.1", port=free_port())
        controller.start()
        controllers.append(controller)
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = controller.port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = timeout
        return handler

    yield start
    for controller in controllers:
        controller.stop()


@contextlib.contextmanager
def celery_broker(url: str, *, transport: str | None = None):
    """Publish tasks to the broker at `url` instead of running them at once (the tests' default), then go back.
    A closed port is a broker that cannot be reached; memory:// keeps what is published, for counting."""
    from cohort_site.celery import app

    saved = (app.conf.task_always_eager, app.conf.broker_url, app.conf.broker_transport)
    app.conf.task_always_eager, app.conf.broker_url, app.conf.broker_transport = False, url, transport
    reset_broker_pools(app)
    try:
        yield app
    finally:
        app.conf.task_always_eager, app.conf.broker_url, app.conf.broker_transport = saved
        reset_broker_pools(app)


def reset_broker_pools(app) -> None:
    """Close and forget the connections made for the previous broker URL (kombu keeps them by URL)."""
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


def published_tasks(app, queue: str = "celery") -> list[list[int]]:
    """The email ids of each send task waiting on the in-memory broker's `queue`."""
    with app.connection_for_write() as connection:
        waiting = connection.SimpleQueue(queue)
        tasks = []
        while True:
            try:
                message = waiting.get(block=False)
            except waiting.Empty:
                break
            tasks.append(message.payload[0][0])
            message.ack()
        waiting.close()
    return tasks


def publishes(callbacks: list) -> list:
    """The on-commit callbacks captured, but the data version's (cohort_site/core/data_version.py), registered
    once a transaction by whichever write comes first, inside the capture or before it."""
    return [callback for callback in callbacks if callback is not shared_version_replace]
