"""The coordinator's report of a newsletter: figures in Dutch, failures by reason, and the
members not reached, escaped and cut politely to fit one Telegram message."""

from __future__ import annotations

from collections import Counter

from berichten.newsletters.progress import Figures, reason_of
from berichten.texts.html import TEXT_LIMIT, telegram_length
from berichten.texts.newsletter_progress import progress_text
from planning.newsletters.after_sending import IssueOperation


def test_a_running_send_shows_one_line_of_figures() -> None:
    figures = Figures(IssueOperation.SEND, total=10_000, done=1_234, busy=8_763)
    figures.failed = Counter({"blocked": 3})

    assert progress_text("Maart & april", figures) == (
        "De nieuwsbrief ‘Maart &amp; april’ wordt verstuurd.\n\n"
        "Verzonden: 1.234 van 10.000 · mislukt: 3"
    )


def test_a_long_list_of_members_not_reached_is_cut_politely() -> None:
    town = "Gemeente Ergens aan de rand van een heel lange naam die maar doorgaat"
    names = [f"Deelnemer <{n:04}> met een lange naam ({town})" for n in range(300)]
    figures = Figures(IssueOperation.SEND, total=300, unreachable=names)
    figures.failed = Counter({"chat_not_found": 300})

    text = progress_text("Nieuwsbrief", figures)

    assert telegram_length(text) <= TEXT_LIMIT
    shown = text.count("• Deelnemer")
    assert f"• Deelnemer &lt;0000&gt; met een lange naam ({town})" in text
    assert 20 < shown < 40  # as many as fit
    assert text.endswith(f"en nog {300 - shown} anderen")
    assert "• chat niet gevonden: 300" in text


def test_telegrams_reasons_are_named_in_dutch() -> None:
    assert reason_of("Forbidden: bot was blocked by the user") == "blocked"
    assert reason_of("blocked the bot") == "blocked"
    assert reason_of("Bad Request: chat not found") == "chat_not_found"
    assert reason_of("Forbidden: user is deactivated") == "deactivated"
    assert reason_of("gave up after 150 attempts: timed out") == "unreachable"
    assert reason_of("Bad Request: something new") == "refused"
