"""Wrong invite codes slow their sender down, in memory that a flood cannot grow."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.handlers.membership.wrong_codes import (
    FORGET_AFTER,
    LIMIT,
    WINDOW,
    Attempt,
    WrongCodes,
)

T0 = datetime(2011, 1, 4, 8, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)


def _wrong_codes(codes: WrongCodes, user_id: int, count: int, start: datetime) -> None:
    for n in range(count):
        assert codes.attempt(user_id, start + n * SECOND) is Attempt.CHECK
        codes.wrong(user_id, start + n * SECOND)


def test_ten_wrong_codes_in_a_minute_get_one_slow_down_and_then_silence() -> None:
    codes = WrongCodes()
    _wrong_codes(codes, 7, LIMIT, T0)
    tenth = T0 + (LIMIT - 1) * SECOND

    assert codes.attempt(7, tenth) is Attempt.SLOW_DOWN
    assert codes.attempt(7, tenth + SECOND) is Attempt.IGNORE
    assert codes.attempt(8, tenth) is Attempt.CHECK  # someone else is not slowed down
    assert codes.attempt(7, tenth + WINDOW) is Attempt.CHECK


def test_ten_wrong_codes_spread_over_more_than_a_minute_are_all_checked() -> None:
    codes = WrongCodes()
    for n in range(3 * LIMIT):
        moment = T0 + n * 7 * SECOND
        assert codes.attempt(7, moment) is Attempt.CHECK
        codes.wrong(7, moment)


def test_once_slowed_down_each_wrong_code_buys_a_quiet_minute() -> None:
    codes = WrongCodes()
    _wrong_codes(codes, 7, LIMIT, T0)
    later = T0 + 2 * WINDOW
    assert codes.attempt(7, later) is Attempt.CHECK
    codes.wrong(7, later)

    assert codes.attempt(7, later + SECOND) is Attempt.IGNORE  # its refusal was the answer
    assert codes.attempt(7, later + WINDOW) is Attempt.CHECK


def test_a_right_code_or_a_long_silence_forgets_the_sender() -> None:
    codes = WrongCodes()
    _wrong_codes(codes, 7, LIMIT, T0)
    codes.right(7)
    assert codes.attempt(7, T0 + 10 * SECOND) is Attempt.CHECK and len(codes) == 0

    _wrong_codes(codes, 8, LIMIT, T0)
    assert codes.attempt(9, T0 + 10 * SECOND + FORGET_AFTER) is Attempt.CHECK
    assert len(codes) == 0


def test_a_flood_of_ids_is_bounded_and_forgets_the_least_recent() -> None:
    codes = WrongCodes(capacity=100)
    for user_id in range(1, 1001):
        codes.wrong(user_id, T0)

    assert len(codes) == 100
    _wrong_codes(codes, 1000, LIMIT - 1, T0)  # the latest id is still counted
    assert codes.attempt(1000, T0) is Attempt.SLOW_DOWN
