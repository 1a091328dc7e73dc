"""Where and when every test starts: the database it runs on and the moment its clock shows."""

from __future__ import annotations

from datetime import UTC, datetime

# Set (CI does, for PostgreSQL) to run the tests on that database instead of an SQLite file.
TEST_DATABASE_ENV = "OVERLEGBOT_TEST_DATABASE_URL"
# A Tuesday in the year plan's first quarter, before the first AO of 18 January 2011: 09:00 in
# Amsterdam, the day of the first petit comité.
START = datetime(2011, 1, 4, 8, 0, tzinfo=UTC)
