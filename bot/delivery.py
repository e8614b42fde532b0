"""What an adapter must offer so that digests, watch alerts and admin notices can be posted.

Posting returns normally or raises `DeliveryError`; the scheduler records the outcome per
channel, so one unreachable channel never blocks the others.
"""

from __future__ import annotations

from typing import Protocol

from handlers.base import Reply


class DeliveryError(Exception):
    """Posting to one channel failed.

    `retry_after` is the platform's advice in seconds (a 429), `permanent` is True when
    retrying cannot help (the channel is gone, the bot was removed).
    """

    def __init__(self, message: str, *, retry_after: float | None = None, permanent: bool = False):
        super().__init__(message)
        self.retry_after = retry_after
        self.permanent = permanent


class Poster(Protocol):
    platform: str

    async def post(self, channel: str, reply: Reply) -> None:
        """Post `reply` as a channel message with every mention disabled."""
