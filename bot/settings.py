"""Settings from environment variables (prefix ``OVERLEGBOT_``) or an environment file.

Everything an operator must decide is here and nowhere else. The file is ``--env-file PATH``
(every subcommand takes it, see :func:`chosen_env_file`), else ``OVERLEGBOT_ENV_FILE``, else
``.env`` in the working directory; a variable set in the environment wins over the file, as
pydantic-settings reads them. A file the operator named must exist; ``.env`` may be absent.

A setting that is missing or malformed, and an environment file that is missing, a folder,
unreadable, has a line python-dotenv cannot parse or an ``OVERLEGBOT_`` name that is no setting,
is reported as one Dutch line (:class:`SettingsError`) rather than a traceback.
The token is a ``SecretStr``: it shows as ``**********`` in every repr and log line, and only
:meth:`Settings.bot_token` hands out its value, to PTB.
"""

from __future__ import annotations

import difflib
import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv.parser import parse_stream
from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_core import ErrorDetails
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.exc import ArgumentError

from planning import catalogue
from planning.db import async_url

DEFAULT_BOT_API_URL = "https://api.telegram.org/bot"
DEFAULT_ENV_FILE = Path(".env")
_PREFIX = "OVERLEGBOT_"
ENV_FILE_VARIABLE = _PREFIX + "ENV_FILE"
# The --env-file of the command being run; a context variable, so that whatever the command
# calls (load_settings deep inside ``run`` too) reads the same file without passing it on.
_chosen_env_file: ContextVar[Path | None] = ContextVar("chosen_env_file", default=None)
PAID_BROADCAST_PER_SECOND = 1000.0
# A Dutch operator types ja/nee or aan/uit; pydantic knows true/false, yes/no, on/off, 1/0.
_DUTCH_BOOLEANS = {"ja": True, "nee": False, "aan": True, "uit": False}


class Settings(BaseSettings):
    """What the bot needs to run; see the settings table in the README."""

    model_config = SettingsConfigDict(
        env_prefix=_PREFIX, env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    token: SecretStr = Field(default=SecretStr(""), description="bot token from BotFather")
    database_url: str = Field(default="sqlite:///overlegbot.db")
    bot_api_url: str = Field(default=DEFAULT_BOT_API_URL)
    bot_file_url: str = Field(default="", description="defaults to bot_api_url with /file/bot")
    timezone: ZoneInfo = Field(default=ZoneInfo("Europe/Amsterdam"))
    admins: Annotated[frozenset[int], NoDecode] = Field(default=frozenset())
    bot_username: str = Field(default="", description="skips a getMe call when printing links")
    # Telegram's limits: about 30 messages a second overall and one a second per chat.
    messages_per_second: float = Field(default=30.0, gt=0)
    chat_interval_seconds: float = Field(default=1.0, ge=0)
    # Paid broadcasts (Telegram Stars) lift the overall limit to 1,000 a second.
    allow_paid_broadcast: bool = False
    # Working days an overdue milestone waits before it goes on the coordinators' list.
    overdue_escalation_days: int = Field(default=5, ge=1, le=60)
    # Four eyes: a newsletter goes out only after a second coordinator approves it.
    newsletter_approval: bool = False
    # Four eyes on incidents: off by default, speed matters more (issue 14).
    incident_approval: bool = False
    # Minutes an incident's recipients have to answer before it is sent again as urgent (and,
    # as long again after that, before the coordinator gets the organisations still uncovered).
    incident_escalate_minutes: int = Field(default=15, ge=1, le=24 * 60)
    # Where members' calendar programs reach the feed server (``--feed-listen``), e.g.
    # https://overleg.example.nl; without it /agenda offers no subscription link.
    feed_base_url: str = Field(default="")

    @model_validator(mode="after")
    def _paid_broadcast_rate(self) -> Settings:
        if self.allow_paid_broadcast and "messages_per_second" not in self.model_fields_set:
            self.messages_per_second = PAID_BROADCAST_PER_SECOND
        return self

    @field_validator(
        "allow_paid_broadcast", "newsletter_approval", "incident_approval", mode="before"
    )
    @classmethod
    def _dutch_boolean(cls, value: object) -> object:
        if isinstance(value, str):
            return _DUTCH_BOOLEANS.get(value.strip().lower(), value)
        return value

    @field_validator("admins", mode="before")
    @classmethod
    def _split_admins(cls, value: object) -> object:
        # Operators write "123,456"; pydantic-settings would otherwise expect JSON.
        if isinstance(value, str):
            parts = [part for part in value.replace(" ", "").split(",") if part]
            if not all(part.isdigit() for part in parts):
                raise ValueError(catalogue.plain("settings.problem.admins"))
            return frozenset(int(part) for part in parts)
        return value

    @field_validator("timezone", mode="before")
    @classmethod
    def _known_zone(cls, value: object) -> object:
        # pydantic reads a zone name as a ZoneInfo; this only puts its refusal in Dutch.
        if isinstance(value, str):
            try:
                return ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError) as error:
                raise ValueError(catalogue.plain("settings.problem.zone", value=value)) from error
        return value

    @field_validator("token")
    @classmethod
    def _token_shape(cls, value: SecretStr) -> SecretStr:
        token = value.get_secret_value()
        if token and (":" not in token or not token.split(":", 1)[0].isdigit()):
            raise ValueError(catalogue.plain("settings.problem.token"))
        return value

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        try:
            async_url(value)
        except (ValueError, ArgumentError) as error:
            raise ValueError(catalogue.plain("settings.problem.database_url")) from error
        return value

    @field_validator("bot_api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError(catalogue.plain("settings.problem.api_url"))
        return value

    @field_validator("feed_base_url")
    @classmethod
    def _feed_url(cls, value: str) -> str:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError(catalogue.plain("settings.problem.feed_base_url"))
        return value.rstrip("/")

    @property
    def bot_token(self) -> str:
        """The token itself, for PTB; "" when none is set."""
        return self.token.get_secret_value()

    @property
    def file_url(self) -> str:
        if self.bot_file_url:
            return self.bot_file_url
        base = self.bot_api_url.rstrip("/")
        return base[: -len("/bot")] + "/file/bot" if base.endswith("/bot") else base + "/file"


class SettingsError(Exception):
    """A setting an operator must fix; the message is one Dutch line."""


@contextmanager
def chosen_env_file(path: Path | None) -> Iterator[None]:
    """Within the block, settings come from ``path`` (``--env-file``); None leaves the choice
    to ``OVERLEGBOT_ENV_FILE`` and the default."""
    token = _chosen_env_file.set(path)
    try:
        yield
    finally:
        _chosen_env_file.reset(token)


def env_file() -> tuple[Path, bool]:
    """The environment file settings are read from, and whether the operator named it."""
    chosen = _chosen_env_file.get()
    if chosen is not None:
        return chosen, True
    named = os.environ.get(ENV_FILE_VARIABLE, "")
    if named:
        return Path(named), True
    return DEFAULT_ENV_FILE, False


def check_env_file() -> Path | None:
    """The environment file to read, if there is one; a named file that is missing, and any
    that cannot be read, is a :class:`SettingsError` with one Dutch line."""
    path, named = env_file()
    try:
        content = path.read_bytes()
    except FileNotFoundError as error:
        if not named:
            return None
        raise SettingsError(catalogue.plain("cli.env_file_missing", file=path)) from error
    except IsADirectoryError as error:
        raise SettingsError(catalogue.plain("cli.env_file_directory", file=path)) from error
    except PermissionError as error:
        raise SettingsError(catalogue.plain("cli.env_file_no_permission", file=path)) from error
    except OSError as error:  # a dangling link, an unreadable device: say which file
        raise SettingsError(catalogue.plain("cli.env_file_missing", file=path)) from error
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as error:
        message = catalogue.plain("cli.env_file_bad_encoding", file=path, offset=error.start)
        raise SettingsError(message) from error
    _check_env_lines(path, text)
    return path


def _check_env_lines(path: Path, text: str) -> None:
    """Refuse a line python-dotenv cannot parse (it would warn in English and skip it) and an
    ``OVERLEGBOT_`` name that is no setting: a misspelt one would be ignored without a word."""
    for binding in parse_stream(io.StringIO(text)):
        original = binding.original.string
        # A binding starts with the blank lines before it; name the line the trouble is on.
        line = binding.original.line + original[: len(original) - len(original.lstrip())].count(
            "\n"
        )
        where = f"{path}:{line}"
        if binding.error:
            raise SettingsError(catalogue.plain("cli.env_file_bad_line", where=where))
        if binding.key is not None and unknown_setting(binding.key):
            raise SettingsError(
                catalogue.plain(
                    "cli.env_file_unknown_setting",
                    name=binding.key,
                    where=where,
                    hint=_did_you_mean(binding.key),
                )
            )


def setting_names() -> frozenset[str]:
    """Every variable the bot reads: ``OVERLEGBOT_`` and a setting's name, in capitals."""
    return frozenset(_PREFIX + name.upper() for name in Settings.model_fields)


def unknown_setting(name: str) -> bool:
    """Whether ``name`` has the settings' prefix (in any case, as pydantic-settings reads it)
    but names no setting. ``OVERLEGBOT_ENV_FILE`` is none: it works in the environment only."""
    upper = name.upper()
    return upper.startswith(_PREFIX) and upper not in setting_names()


def unknown_environment_warnings() -> list[str]:
    """A Dutch line for each ``OVERLEGBOT_`` variable in the environment that names no
    setting. Only a warning: the environment is shared, and may hold others' variables."""
    return [
        catalogue.plain("cli.environment_unknown_setting", name=name, hint=_did_you_mean(name))
        for name in sorted(os.environ)
        if unknown_setting(name) and name.upper() != ENV_FILE_VARIABLE
    ]


def _did_you_mean(name: str) -> str:
    if name.upper() == ENV_FILE_VARIABLE:
        return catalogue.plain("cli.env_file_not_in_file")
    close = difflib.get_close_matches(name.upper(), sorted(setting_names()), n=1)
    return catalogue.plain("cli.did_you_mean", name=close[0]) if close else ""


def missing_setting(name: str) -> SettingsError:
    """The error for a setting the command needs and nobody set, naming where to set it."""
    return SettingsError(catalogue.plain("cli.setting_missing", name=name, file=env_file()[0]))


def load_settings(*, require_token: bool = False) -> Settings:
    """Read the settings, raising :class:`SettingsError` with one Dutch line on a problem."""
    path = check_env_file()
    try:
        settings = Settings(_env_file=path)
    except ValidationError as error:
        raise SettingsError(settings_problem(error)) from error
    if require_token and not settings.bot_token:
        raise missing_setting("OVERLEGBOT_TOKEN")
    return settings


def settings_problem(error: ValidationError) -> str:
    first = error.errors()[0]
    name = "OVERLEGBOT_" + str(first["loc"][0]).upper() if first["loc"] else "OVERLEGBOT_?"
    return catalogue.plain("cli.setting_invalid", name=name, problem=_problem(first))


def _problem(error: ErrorDetails) -> str:
    """Dutch for one pydantic error: our own refusals, and the checks the fields declare."""
    context: dict[str, Any] = dict(error.get("ctx") or {})
    value = error["input"]
    match error["type"]:
        case "value_error":  # raised by a validator above, already in Dutch
            return str(error["msg"]).removeprefix("Value error, ")
        case "bool_parsing" | "bool_type":
            return catalogue.plain("settings.problem.not_yes_no", value=value)
        case "float_parsing" | "float_type" | "finite_number":
            return catalogue.plain("settings.problem.not_number", value=value)
        case "int_parsing" | "int_type" | "int_from_float":
            return catalogue.plain("settings.problem.not_whole_number", value=value)
        case "greater_than":
            return catalogue.plain(
                "settings.problem.greater_than", value=value, bound=_number(context["gt"])
            )
        case "greater_than_equal":
            return catalogue.plain(
                "settings.problem.at_least", value=value, bound=_number(context["ge"])
            )
        case "less_than":
            return catalogue.plain(
                "settings.problem.less_than", value=value, bound=_number(context["lt"])
            )
        case "less_than_equal":
            return catalogue.plain(
                "settings.problem.at_most", value=value, bound=_number(context["le"])
            )
        case _:
            return catalogue.plain("settings.problem.invalid", value=value)


def _number(bound: object) -> str:
    """A bound as an operator writes it: 0 rather than pydantic's 0.0."""
    return f"{bound:g}" if isinstance(bound, float) else str(bound)
