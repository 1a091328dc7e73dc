"""Edits and deletes in the outbox: a change to a message another row sent.

A row whose ``operation`` is ``edit`` or ``delete`` names the row that sent the message by its
``target_key``. It is queued, claimed, paced, retried and recovered like any send, so a
correction or a withdrawal of a newsletter is as durable as the newsletter itself (a crash
repeats at most the edits in flight; editing to the same text again is harmless).

Which Telegram message it acts on is read when the row is claimed, not when it is queued: a
message still being sent when a coordinator corrects it has no Telegram id yet. So, at claim
time (:func:`decide`):

- the target was sent: act on its Telegram message id, unless a delete comes after
  Telegram's 48 hours (``deleteMessage`` refuses then): skipped as too old, not tried;
- the target is still queued or in flight: wait a little (:data:`WAIT_FOR_TARGET`) and look
  again;
- the target was never delivered (failed, skipped): nothing to change, skipped.

A ``reply`` is a new message that Telegram shows as a reply to the target (an incident's
follow-up under its first message): it waits for the target like an edit, and when the target
was never delivered it is sent all the same, as a message of its own.

Bot messages in private chats can be edited at any age; only business messages have a 48-hour
limit for edits (Bot API, ``editMessageText``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from berichten.outbox.media import Media
from berichten.outbox.tables import Operation, OutboxMessageRow, OutboxStatus
from planning.db import in_chunks

if TYPE_CHECKING:
    from berichten.outbox.sender import Sender
    from berichten.outbox.store import Buttons, Claimed

# Telegram deletes a message for everyone only within 48 hours of sending it.
DELETE_WITHIN = timedelta(hours=48)
WAIT_FOR_TARGET = timedelta(seconds=5)
TOO_OLD = "older than 48 hours: Telegram deletes it no more"
NOT_DELIVERED = "the message to change was not delivered"


@runtime_checkable
class MessageChanger(Protocol):
    """A sender that can also change what it sent (:class:`bot.telegram_sender.TelegramSender`)."""

    async def edit(self, chat_id: int, message_id: int, text: str, media: Media | None) -> None:
        """Give message ``message_id`` the HTML ``text`` (a caption when ``media``)."""
        ...

    async def delete(self, chat_id: int, message_id: int) -> None:
        """Delete message ``message_id`` for everyone."""
        ...


@runtime_checkable
class Replier(Protocol):
    """A sender that can send a message as a reply (:class:`bot.telegram_sender.TelegramSender`)."""

    async def reply(
        self,
        chat_id: int,
        reply_to: int | None,
        text: str,
        buttons: Buttons | None,
        media: Media | None,
    ) -> int:
        """Send like ``send``, as a reply to message ``reply_to`` when given; its id."""
        ...


@dataclass(frozen=True)
class Target:
    """What became of the row an edit or delete acts on."""

    status: str
    telegram_message_id: int | None
    sent_at: datetime | None
    next_attempt_at: datetime


async def targets(session: AsyncSession, rows: Iterable[OutboxMessageRow]) -> dict[str, Target]:
    """The target rows of these rows' edits and deletes, by key (a missing one is left out)."""
    keys = sorted({row.target_key for row in rows if row.target_key is not None})
    found: dict[str, Target] = {}
    for chunk in in_chunks(keys):
        result = await session.execute(
            select(
                OutboxMessageRow.key,
                OutboxMessageRow.status,
                OutboxMessageRow.telegram_message_id,
                OutboxMessageRow.sent_at,
                OutboxMessageRow.next_attempt_at,
            ).where(OutboxMessageRow.key.in_(chunk))
        )
        for key, status, message_id, sent_at, next_attempt in result:
            found[key] = Target(status, message_id, sent_at, next_attempt)
    return found


def decide(
    row: OutboxMessageRow, targets: dict[str, Target], now: datetime
) -> int | str | datetime | None:
    """For a row being claimed: None for a send; for an edit or delete the Telegram message id
    to act on, a reason to skip it, or when to look again (see the module)."""
    if row.target_key is None:
        return None
    target = targets.get(row.target_key)
    if target is None or target.status in (OutboxStatus.FAILED, OutboxStatus.SKIPPED):
        return None if row.operation == Operation.REPLY else NOT_DELIVERED
    if target.status != OutboxStatus.SENT or target.telegram_message_id is None:
        return max(now + WAIT_FOR_TARGET, target.next_attempt_at + WAIT_FOR_TARGET)
    if row.operation == Operation.DELETE:
        sent = target.sent_at or now
        if sent + DELETE_WITHIN <= now:
            return TOO_OLD
    return target.telegram_message_id


def unclaimed(outcome: str | datetime) -> dict[str, object]:
    """How a row that is not claimed is recorded: skipped with its reason, or (an edit whose
    message is still being sent) looked at again at that moment."""
    if isinstance(outcome, datetime):
        return {"next_attempt_at": outcome}
    return {"status": OutboxStatus.SKIPPED, "last_error": outcome}


async def perform(sender: Sender, message: Claimed, text: str) -> int:
    """Send ``message``, or make the edit or delete it asks for; the Telegram message id."""
    operation = message.operation or Operation.SEND
    target = message.target_message_id
    if operation == Operation.REPLY and isinstance(sender, Replier):
        return await sender.reply(message.recipient, target, text, message.buttons, message.media)
    if operation in (Operation.SEND, Operation.REPLY):  # a sender that cannot reply: plainly
        return await sender.send(message.recipient, text, message.buttons, message.media)
    if target is None or not isinstance(sender, MessageChanger):
        raise TypeError(f"cannot {operation} message {message.key} with this sender")
    if operation == Operation.EDIT:
        await sender.edit(message.recipient, target, text, message.media)
    else:
        await sender.delete(message.recipient, target)
    return target
