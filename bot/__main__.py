"""``python -m bot`` is ``overlegbot``, for when the console script is not on PATH."""

import sys

from bot.cli import main

sys.exit(main())
