"""Dates and long texts as members see them."""

from __future__ import annotations

from datetime import UTC, datetime

from berichten.texts.dates import long_moment
from berichten.texts.html import TEXT_LIMIT, pack, telegram_length
from tests.support.plans import AMSTERDAM


def test_dates_are_written_out_in_dutch_in_the_plans_zone() -> None:
    # 09:00 UTC is 10:00 in winter time and 11:00 in summer time.
    assert long_moment(datetime(2011, 3, 22, 9, 0, tzinfo=UTC), AMSTERDAM) == (
        "dinsdag 22 maart 2011, 10:00"
    )
    assert long_moment(datetime(2011, 6, 21, 9, 0, tzinfo=UTC), AMSTERDAM) == (
        "dinsdag 21 juni 2011, 11:00"
    )


def test_long_lists_are_packed_whole_lines_within_telegrams_limit() -> None:
    lines = [f"Deelnemer {n} – Gemeente Gouda &amp; Ede, lid 😀" for n in range(400)]
    parts = pack(lines)
    assert len(parts) > 1
    assert all(telegram_length(part) <= TEXT_LIMIT for part in parts)
    assert "\n".join(parts).splitlines() == lines


def test_a_line_too_long_for_a_message_is_split_not_dropped() -> None:
    line = "Gemeente &amp; rijk " * 300
    parts = pack([line])
    assert len(parts) == 2 and all(telegram_length(part) <= TEXT_LIMIT for part in parts)
    assert "".join(parts) == line and all("&amp;" in part for part in parts)
