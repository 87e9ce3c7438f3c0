"""kombu's Redis transport, made to survive a malformed message.

kombu reads each message off a Redis list and decodes it before Celery sees it. A message that is not JSON, or is
JSON but not a kombu envelope, raises there, outside every handler Celery has: the worker stops ("Unrecoverable
error"), and with it every email waiting behind that message. Here such a message is logged, with the queue it
came from and its first bytes, and discarded; the worker goes on with the next one. (Messages that are well
formed but wrong, such as an unknown task or a body Celery cannot decode, Celery itself logs and rejects.)

Used as the broker transport when REDIS_URL is set (CELERY_BROKER_TRANSPORT in settings).
"""

import logging
from queue import Empty

from kombu.transport import redis

logger = logging.getLogger(__name__)

PREVIEW_CHARS = 200


class MalformedMessage(ValueError):
    pass


def _check_envelope(message, queue: str) -> None:
    properties = message.get("properties") if isinstance(message, dict) else None
    if not isinstance(properties, dict) or "delivery_tag" not in properties:
        raise MalformedMessage(f"not a kombu message on queue {queue!r}: {str(message)[:PREVIEW_CHARS]!r}")


class Channel(redis.Channel):
    def _brpop_read(self, **options):
        try:
            return super()._brpop_read(**options)
        except ValueError as error:  # JSON that does not parse, bytes that are not text, a malformed envelope
            logger.error("Discarded a malformed message from the broker: %s", error)
            return True  # it was read off the queue

    def _get(self, queue):
        try:
            message = super()._get(queue)
            _check_envelope(message, queue)
        except ValueError as error:
            logger.error("Discarded a malformed message from the broker: %s", error)
            raise Empty() from error
        return message


class Transport(redis.Transport):
    Channel = Channel

    def _deliver(self, message, queue):
        _check_envelope(message, queue)
        super()._deliver(message, queue)
