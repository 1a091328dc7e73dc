"""A database URL in an error line: the whole password hidden, and a hint when it is not encoded."""

from __future__ import annotations

import pytest

from bot.cli_runtime import password_hint, without_password


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://u:geheim@127.0.0.1/x", "postgresql://u:***@127.0.0.1/x"),
        ("postgresql://u:p@ss#1@127.0.0.1/x", "postgresql://u:***@127.0.0.1/x"),
        ("postgresql://u:a/b?c:d@db:5432/x", "postgresql://u:***@db:5432/x"),
        ("postgresql://u:p%40ss%231@127.0.0.1/x", "postgresql://u:***@127.0.0.1/x"),
        ("postgresql://:geheim@127.0.0.1/x", "postgresql://:***@127.0.0.1/x"),
        ("postgresql+asyncpg://u:@h/x", "postgresql+asyncpg://u:***@h/x"),
        ("postgresql://u@127.0.0.1/x", "postgresql://u@127.0.0.1/x"),
        ("postgresql://127.0.0.1:5432/x", "postgresql://127.0.0.1:5432/x"),
        ("sqlite:///data/o:b@k.db", "sqlite:///data/o:b@k.db"),
    ],
)
def test_the_whole_password_is_masked(url: str, shown: str) -> None:
    assert without_password(url) == shown


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://u:p@ss@127.0.0.1/x",
        "postgresql://u:p#1@127.0.0.1/x",
        "postgresql://u:a/b@127.0.0.1/x",
        "postgresql://u:100%@127.0.0.1/x",
    ],
)
def test_an_unencoded_reserved_character_gets_a_hint(url: str) -> None:
    assert "@ als %40 en # als %23" in password_hint(url)


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://u:p%40ss%231@127.0.0.1/x",
        "postgresql://u:geheim@127.0.0.1/x",
        "postgresql://u@127.0.0.1/x",
        "sqlite:///overlegbot.db",
    ],
)
def test_a_well_formed_url_gets_no_hint(url: str) -> None:
    assert password_hint(url) == ""
