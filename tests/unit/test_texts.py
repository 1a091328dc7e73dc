"""Dates and long texts as members see them."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from berichten.texts.dates import long_moment
from berichten.texts.html import TELEGRAM_TEXT_LIMIT, chunk_lines, utf16_length

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def test_dates_are_written_out_in_dutch_in_the_plans_zone() -> None:
    # 09:00 UTC is 10:00 in winter time and 11:00 in summer time.
    assert long_moment(datetime(2011, 3, 22, 9, 0, tzinfo=UTC), AMSTERDAM) == (
        "dinsdag 22 maart 2011, 10:00"
    )
    assert long_moment(datetime(2011, 6, 21, 9, 0, tzinfo=UTC), AMSTERDAM) == (
        "dinsdag 21 juni 2011, 11:00"
    )


def test_long_lists_are_split_on_lines_within_telegrams_limit() -> None:
    lines = [f"Deelnemer {n} – Gemeente Gouda, lid, Contactpersonen 😀" for n in range(400)]
    chunks = chunk_lines(lines)
    assert len(chunks) > 1
    assert all(utf16_length(chunk) <= TELEGRAM_TEXT_LIMIT for chunk in chunks)
    assert "\n".join(chunks).splitlines() == lines


def test_a_single_overlong_line_is_cut_not_dropped() -> None:
    [chunk] = chunk_lines(["x" * 5000])
    assert utf16_length(chunk) == TELEGRAM_TEXT_LIMIT and chunk.endswith("…")
