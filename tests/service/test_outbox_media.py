"""Photos and documents through the outbox: queued once, sent in order with the text of a
caption too long for Telegram after them, paced like text, and after a crash nothing that was
recorded is sent again.

Virtual time (see :mod:`tests.support.virtual_time`) where pacing matters.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator

import pytest

from berichten.outbox.delivery import deliver_due
from berichten.outbox.media import TEXT_PART, Media, MediaKind
from berichten.outbox.pacing import Pacer
from berichten.outbox.requeue import requeue
from berichten.outbox.store import Buttons, NewMessage, enqueue, recover
from berichten.outbox.tables import OutboxStatus
from berichten.texts.html import CAPTION_LIMIT, TEXT_LIMIT, telegram_length
from planning.clock import FixedClock
from planning.db import Database
from planning.membership.services import add_organisation
from tests.support.crash import FirstSendTelegram, KillableDatabase
from tests.support.network import join_all
from tests.support.outbox import RecordingSender, deliver, outbox_rows
from tests.support.virtual_time import FakeTelegram, VirtualTime

FIRST = 7000
PHOTO = Media(MediaKind.PHOTO, "AgACAgQAAxkBAAI000001")
DOCUMENT = Media(MediaKind.DOCUMENT, "BQACAgQAAxkBAAI000002")
BUTTONS: Buttons = [[("Gelezen", "gelezen|1")]]
# Five paragraphs of 1,500 characters: too long for a caption, two messages of text.
LONG = "\n\n".join(f"<b>Alinea {n}</b> " + "woord " * 240 for n in range(1, 6))


@pytest.fixture
async def members(database: Database, clock: FixedClock) -> Database:
    await database.run(add_organisation, "gouda", "Gemeente Gouda", "gemeente")
    await join_all(database, clock, range(FIRST, FIRST + 30))
    return database


def _news(recipient: int, clock: FixedClock, text: str, media: Media = PHOTO) -> NewMessage:
    return NewMessage(
        key=f"nieuws|1|{recipient}",
        kind="newsletter",
        recipient=recipient,
        text=text,
        due_at=clock.now(),
        media=media,
        buttons=BUTTONS,
    )


async def test_a_photo_with_a_caption_that_fits_is_one_message(
    members: Database, clock: FixedClock
) -> None:
    caption = "<b>Nieuws</b> " + "x" * (CAPTION_LIMIT - 14)
    assert await members.run(enqueue, clock.now(), [_news(FIRST, clock, caption)]) == 1

    sender = RecordingSender()
    await deliver_due(members, clock, sender, Pacer(per_second=1000, chat_interval=0))

    assert sender.sent == [(FIRST, caption)]
    assert sender.media == [PHOTO]
    [row] = await outbox_rows(members)
    assert (row.status, row.media_kind, row.media_file_id) == ("sent", "photo", PHOTO.file_id)


async def test_a_document_without_caption_goes_as_it_is(
    members: Database, clock: FixedClock
) -> None:
    await members.run(enqueue, clock.now(), [_news(FIRST, clock, "", DOCUMENT)])

    sender = RecordingSender()
    await deliver_due(members, clock, sender, Pacer(per_second=1000, chat_interval=0))

    assert (sender.sent, sender.media) == ([(FIRST, "")], [DOCUMENT])


async def test_a_caption_too_long_follows_the_photo_as_text_in_parts(
    members: Database, clock: FixedClock
) -> None:
    assert await members.run(enqueue, clock.now(), [_news(FIRST, clock, LONG)]) == 3
    assert await members.run(enqueue, clock.now(), [_news(FIRST, clock, LONG)]) == 0

    rows = await outbox_rows(members)
    key = f"nieuws|1|{FIRST}"
    assert [row.key for row in rows] == [key, f"{key}{TEXT_PART}1", f"{key}{TEXT_PART}2"]
    assert [(row.media_kind, row.text, row.buttons) for row in rows[:1]] == [("photo", "", None)]
    assert [row.media_kind for row in rows[1:]] == [None, None]
    assert [row.buttons is not None for row in rows] == [False, False, True]

    sender = RecordingSender()
    await deliver_due(members, clock, sender, Pacer(per_second=1000, chat_interval=0))

    assert sender.media == [PHOTO, None, None]
    texts = [text for _, text in sender.sent]
    assert texts[0] == "" and all(telegram_length(text) <= TEXT_LIMIT for text in texts)
    assert "".join(texts[1:]) == LONG  # cut between paragraphs, none in bold


async def test_a_changed_photo_or_caption_rewrites_what_is_pending(
    members: Database, clock: FixedClock
) -> None:
    await members.run(enqueue, clock.now(), [_news(FIRST, clock, "Eerst")])
    later = Media(MediaKind.PHOTO, "AgACAgQAAxkBAAI000009")

    changed = await members.run(requeue, clock, [_news(FIRST, clock, "Daarna", later)])

    assert changed == 1
    assert await deliver(members, clock) == [(FIRST, "Daarna")]
    [row] = await outbox_rows(members)
    assert row.media_file_id == later.file_id


async def test_media_and_its_text_are_paced_and_in_order_like_text(
    members: Database, clock: FixedClock
) -> None:
    """30 members, each a photo and two parts of text: 90 messages in about 3 s at 30/s, and
    never two to one chat within a second."""
    recipients = range(FIRST, FIRST + 30)
    await members.run(enqueue, clock.now(), [_news(user, clock, LONG) for user in recipients])
    time = VirtualTime()
    telegram = FakeTelegram(time, round_trip=0.005)
    pacer = Pacer(per_second=30.0, monotonic=time.monotonic, sleep=time.sleep)
    async with time.run():
        report = await deliver_due(members, clock, telegram, pacer)

    assert report.sent == 90
    assert all(telegram.media[user] == [PHOTO, None, None] for user in recipients)
    assert all(telegram.texts[user][0] == "" for user in recipients)
    starts = sorted(telegram.started_at)
    assert all(later - earlier >= 1.0 for earlier, later in zip(starts, starts[30:], strict=False))
    for user in recipients:
        answered = telegram.answered_at[user]
        assert all(b - a >= 1.0 for a, b in itertools.pairwise(answered))
    assert max(max(times) for times in telegram.answered_at.values()) < 4


@pytest.fixture
async def killable(database_url: str, members: Database) -> AsyncIterator[KillableDatabase]:
    database = KillableDatabase(database_url)
    try:
        yield database
    finally:
        await database.dispose()


async def _killed_at(database: KillableDatabase, clock: FixedClock, kill_at: float) -> FakeTelegram:
    """Deliver what is due until ``kill_at`` seconds after the first send, then die; restart
    (messages left ``sending`` go back to the queue) and return what Telegram answered."""
    time = VirtualTime()
    telegram = FirstSendTelegram(time, round_trip=0.005)
    pacer = Pacer(per_second=30.0, monotonic=time.monotonic, sleep=time.sleep)
    async with time.run():
        sending = asyncio.create_task(deliver_due(database, clock, telegram, pacer))
        await telegram.first.wait()  # the claim took real time; count from the first send
        await time.sleep(kill_at)
        database.killed = True
        sending.cancel()
        await asyncio.gather(sending, return_exceptions=True)
    database.killed = False
    await database.run(recover)
    return telegram


async def test_after_a_crash_only_the_part_not_recorded_goes_out(
    killable: KillableDatabase, clock: FixedClock
) -> None:
    """Killed 1.5 s in: the photo (answered at 0.005 s) and part 1 (a second later) are
    recorded; the second run sends part 2 alone."""
    await killable.run(enqueue, clock.now(), [_news(FIRST, clock, LONG)])

    first = await _killed_at(killable, clock, 1.5)
    after = RecordingSender()
    await deliver_due(killable, clock, after, Pacer(per_second=1000, chat_interval=0))

    assert first.media[FIRST] == [PHOTO, None]
    assert after.media == [None]
    [part_1, part_2] = [row.text for row in (await outbox_rows(killable))[1:]]
    assert (first.texts[FIRST][1], after.sent) == (part_1, [(FIRST, part_2)])
    assert {row.status for row in await outbox_rows(killable)} == {OutboxStatus.SENT}


@pytest.mark.parametrize("kill_at", [0.52, 1.37, 2.21])
async def test_a_kill_while_sending_media_and_parts_loses_none_and_keeps_the_order(
    killable: KillableDatabase, clock: FixedClock, kill_at: float
) -> None:
    recipients = range(FIRST, FIRST + 30)
    await killable.run(enqueue, clock.now(), [_news(user, clock, LONG) for user in recipients])

    first = await _killed_at(killable, clock, kill_at)
    after = RecordingSender()
    await deliver_due(killable, clock, after, Pacer(per_second=1000, chat_interval=0))

    [_, part_1, part_2] = [row.text for row in await outbox_rows(killable, recipient=FIRST)]
    expected = [(PHOTO, ""), (None, part_1), (None, part_2)]
    repeated = 0
    for user in recipients:
        got = list(zip(first.media.get(user, []), first.texts.get(user, []), strict=True))
        got += [
            (media, text)
            for media, (chat, text) in zip(after.media, after.sent, strict=True)
            if chat == user
        ]
        once = [item for n, item in enumerate(got) if n == 0 or item != got[n - 1]]
        assert once == expected  # all of it, in order; a repeat only right after itself
        repeated += len(got) - len(once)
    assert 0 < len(after.sent) < 90  # killed in the middle
    assert repeated <= 6
