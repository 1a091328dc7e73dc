"""A stand-in Telegram Bot API server for tests and the terminal sandbox.

The real python-telegram-bot Application talks to it over HTTP, so the bot's own code
runs unchanged while tests act as members and inspect what the bot sent.
"""

from bot.standin.models import ApiCall, ApiError, SentDocument, SentMessage
from bot.standin.server import StandinServer

__all__ = ["ApiCall", "ApiError", "SentDocument", "SentMessage", "StandinServer"]
