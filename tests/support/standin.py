"""The bot and the people the stand-in Bot API server knows in the tests."""

from __future__ import annotations

TOKEN = "123456:TEST-TOKEN"
BOT_USERNAME = "overlegbot_test"
BOT_ID = 123456
ALICE = 1001  # a user of the stand-in tests
GROUP = -100200  # a group chat of the stand-in tests
