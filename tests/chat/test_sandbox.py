"""The README's first command: a new user chats with the bot in the terminal, no Telegram needed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def _sandbox(directory: Path, typed: str, *options: str) -> subprocess.CompletedProcess[str]:
    """``overlegbot sandbox`` as a new user runs it, with ``typed`` as their input."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("OVERLEGBOT_")}
    return subprocess.run(
        [sys.executable, "-m", "bot", "sandbox", *options],
        input=typed,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=directory,
        env=environment,
        check=True,
    )


def test_the_sandbox_answers_and_shows_buttons_as_numbers(tmp_path: Path) -> None:
    result = _sandbox(tmp_path, "/help\n/uitnodigen\n1\n/annuleren\n/quit\n")

    assert "U bent Sanne Zandbak" in result.stdout
    assert "/uitnodigen – Uitnodigingslinks maken voor deelnemers" in result.stdout
    assert "  [1] Lid\n  [2] Coördinator" in result.stdout
    assert "Voor welke organisatie?" in result.stdout and "Gemeente Gouda" in result.stdout
    assert "De opdracht is afgebroken; er is niets opgeslagen." in result.stdout
    assert result.stdout.rstrip().endswith("Tot ziens.")
    assert list(tmp_path.iterdir()) == []  # the throwaway database is gone


def test_the_sandbox_can_be_tried_as_a_member_and_sends_spaces(tmp_path: Path) -> None:
    result = _sandbox(tmp_path, "/uitnodigen\n   \n/quit\n", "--lid")

    assert "U bent Sanne Zandbak (Telegram-ID 1001), lid." in result.stdout
    assert "Deze opdracht is alleen voor coördinatoren." in result.stdout
    assert "/help" in result.stdout.split("> ")[-2]  # the spaces got the pointer to /help
    assert result.stderr == ""


def test_every_item_under_punten_has_buttons_of_its_own(tmp_path: Path) -> None:
    # Two items submitted (each with its notice), then /punten shows both with their buttons;
    # the numbers go on across messages, so the first item's "Op de agenda" is [27].
    typed = (
        "/agendapunt\n1\nEerste punt\n4\n/overslaan\n7\n"
        "/agendapunt\n14\nTweede punt\n17\n/overslaan\n20\n"
        "/punten\n27\n/quit\n"
    )
    result = _sandbox(tmp_path, typed)

    listing = result.stdout.split("> /punten")[-1]
    assert "  [27] Op de agenda\n  [28] Niet opnemen\n  [29] Naar volgende" in listing
    assert "  [30] Op de agenda\n  [31] Niet opnemen\n  [32] Naar volgende" in listing
    pressed = listing.split("> 27")[-1]
    assert "Uw agendapunt Eerste punt staat op de agenda" in pressed
