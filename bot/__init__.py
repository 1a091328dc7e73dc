"""Overlegbot's Telegram face: settings, the CLI, the PTB application, handlers, the sandbox."""

import os

# Opt in to PTB 23's durations as timedelta (e.g. RetryAfter.retry_after) already; without it
# PTB 22 warns on every flood-control error. PTB reads the variable whenever it builds a duration.
os.environ.setdefault("PTB_TIMEDELTA", "true")
