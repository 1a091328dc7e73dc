"""``overlegbot run``: the bot as a service an operator can trust (docs/decisions/operations.md).

- A start that cannot succeed says why in one Dutch line: exit status 2 when the operator must
  fix something (a setting, the token, the webhook URL), 1 when Telegram or the database stayed
  unreachable through every attempt (a service manager may simply start it again).
- While Telegram or the database is unreachable at start, the bot tries again with a growing
  pause (PTB's ``bootstrap_retries`` for Telegram, :func:`_migrate` for the database), one log
  line per attempt.
- Once up, one INFO line says who and where it is; from then on the log holds what an operator
  needs (bot/logs.py), with the token masked.
"""

from __future__ import annotations

import argparse
import errno
import logging
import secrets
import time
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.error import BadRequest, InvalidToken, TelegramError

from bot.app import OverlegApplication, build_application, freeze_startup_heap
from bot.cli_runtime import (
    EXIT_USAGE,
    CliError,
    password_hint,
    with_database,
    without_password,
)
from bot.context import OverlegContext
from bot.feed_server import FeedServer, serve_alongside
from bot.logs import ServiceLog, database_trouble, masked_token, telegram_trouble
from bot.migrate import upgrade
from bot.network_watch import NetworkWatch
from bot.outbox_job import JOB_NAME
from bot.settings import Settings, SettingsError, load_settings
from planning import catalogue
from planning.db import Database
from planning.membership.tables import MemberRow, MemberStatus

log = logging.getLogger(__name__)

EXIT_UNREACHABLE = 1
# The database's pauses between attempts at start: 1, 2, 4 ... seconds, at most this long.
LONGEST_PAUSE = 30.0
OFFICIAL_API_HOST = "api.telegram.org"
# Why the webhook server may not listen where it was told: taken, not ours, or privileged.
_CANNOT_LISTEN = frozenset({errno.EADDRINUSE, errno.EADDRNOTAVAIL, errno.EACCES})


class _UnreachableError(Exception):
    """Telegram or the database stayed unreachable at start; the message is one line."""


@dataclass(frozen=True)
class Webhook:
    url: str
    host: str
    port: int


def run(args: argparse.Namespace) -> int:
    """``overlegbot run`` with the parsed ``args``: the exit status."""
    service_log = ServiceLog(args.log_format).install()
    try:
        return _run(args, service_log)
    except (CliError, SettingsError) as error:
        return service_log.fatal(str(error), EXIT_USAGE)
    except _UnreachableError as gave_up:
        return service_log.fatal(str(gave_up), EXIT_UNREACHABLE)
    except KeyboardInterrupt:  # Ctrl-C while waiting for the database, before PTB runs
        log.info(catalogue.plain("run.stopped"))
        return 0
    except Exception:
        log.critical("overlegbot run stopped on an unexpected error", exc_info=True)
        return EXIT_UNREACHABLE


def _run(args: argparse.Namespace, service_log: ServiceLog) -> int:
    if (args.webhook_url is None) != (args.listen is None):
        raise CliError(catalogue.plain("cli.webhook_needs_listen"))
    settings = load_settings(require_token=True)
    service_log.hide(settings.bot_token)
    webhook = _webhook(args, settings)
    retries: int = args.start_retries
    _migrate(settings, retries)

    watch = NetworkWatch(settings.bot_api_url, attempts=retries + 1)
    database = Database(settings.database_url)
    application = build_application(settings, database, network=watch)
    watch.on_rejected = application.stop_running
    _serve_feed(args, settings, application, database)
    _say_when_started(application, watch, settings, webhook)
    freeze_startup_heap()
    try:
        if webhook is None:
            application.run_polling(allowed_updates=Update.ALL_TYPES, bootstrap_retries=retries)
        else:
            application.run_webhook(
                listen=webhook.host,
                port=webhook.port,
                # PTB listens on url_path; Telegram posts to the public URL's path, often the
                # same path behind a reverse proxy.
                url_path=urlsplit(webhook.url).path.lstrip("/"),
                webhook_url=webhook.url,
                # A fresh secret per start: PTB registers it and rejects posts without it.
                secret_token=secrets.token_urlsafe(32),
                allowed_updates=Update.ALL_TYPES,
                bootstrap_retries=retries,
            )
    except InvalidToken as error:
        raise CliError(_token_rejected(settings)) from error
    except BadRequest as error:
        if webhook is None or not watch.failing("setWebhook"):
            raise
        line = catalogue.plain("run.webhook_refused", url=webhook.url, problem=error.message)
        raise CliError(line) from error
    except TelegramError as error:
        if not telegram_trouble(error):
            raise
        line = catalogue.plain(
            "run.telegram_gave_up", url=settings.bot_api_url, problem=error.message
        )
        raise _UnreachableError(line) from error
    except OSError as error:
        if webhook is None or error.errno not in _CANNOT_LISTEN:
            problem = database_trouble(error)
            if problem is None:
                raise
            raise _UnreachableError(_database_line(settings, problem)) from error
        line = catalogue.plain(
            "run.cannot_listen", listen=f"{webhook.host}:{webhook.port}", problem=error
        )
        raise CliError(line) from error
    except Exception as error:
        problem = database_trouble(error)
        if problem is None:
            raise
        raise _UnreachableError(_database_line(settings, problem)) from error
    if watch.rejected is not None:
        raise CliError(_token_rejected(settings))
    log.info(catalogue.plain("run.stopped"))
    return 0


def _serve_feed(
    args: argparse.Namespace,
    settings: Settings,
    application: OverlegApplication,
    database: Database,
) -> None:
    """With ``--feed-listen``: the personal calendar feeds beside polling or the webhook."""
    if args.feed_listen is None:
        return
    if not settings.feed_base_url:
        log.warning(catalogue.plain("feed.needs_base_url"))
    host, port = args.feed_listen
    serve_alongside(application, FeedServer(database, application.bot_data.clock, host, port))


def _webhook(args: argparse.Namespace, settings: Settings) -> Webhook | None:
    """The webhook to listen on, or None for long polling.

    Telegram delivers webhooks over HTTPS only; a self-hosted Bot API server in its local mode
    may post over plain HTTP, so ``http://`` is refused only with Telegram's own API.
    """
    if args.webhook_url is None:
        return None
    url: str = args.webhook_url
    parts = urlsplit(url)
    self_hosted = urlsplit(settings.bot_api_url).hostname != OFFICIAL_API_HOST
    allowed = ("https", "http") if self_hosted else ("https",)
    if parts.scheme not in allowed or not parts.hostname:
        raise CliError(catalogue.plain("run.webhook_not_https", url=url))
    host, port = args.listen
    return Webhook(url, host, port)


def _migrate(settings: Settings, retries: int) -> None:
    """Apply pending migrations, trying again while the database is unreachable.

    Anything else that stops it (a wrong password, a database that does not exist, an SQLite
    file that cannot be opened) is for the operator to fix: one line, at once.
    """
    attempts = retries + 1
    for attempt in range(1, attempts + 1):
        try:
            applied = with_database(settings, upgrade)
        except CliError as error:
            problem = database_trouble(error.__cause__)
            if problem is None:
                raise
            if attempt == attempts:
                raise _UnreachableError(_database_line(settings, problem)) from error
            pause = min(LONGEST_PAUSE, 2.0 ** (attempt - 1))
            text = catalogue.plain(
                "run.database_attempt",
                url=without_password(settings.database_url),
                attempt=attempt,
                attempts=attempts,
                problem=problem + password_hint(settings.database_url),
                pause=f"{pause:g}",
            )
            log.warning(text)
            time.sleep(pause)
        else:
            if applied:
                log.info(catalogue.plain("cli.migrated", revisions=", ".join(applied)))
            return


def _say_when_started(
    application: OverlegApplication,
    watch: NetworkWatch,
    settings: Settings,
    webhook: Webhook | None,
) -> None:
    """After start-up, once the bot polls or listens: one INFO line saying who and where it is.

    A job run at once, because PTB starts the job queue only after polling (or the webhook)
    began; ``misfire_grace_time=None``, because the bootstrap may take a while.
    """
    before = application.post_init
    if webhook is None:
        mode = catalogue.plain("run.mode_polling")
    else:
        listen = f"{webhook.host}:{webhook.port}"
        mode = catalogue.plain("run.mode_webhook", url=webhook.url, listen=listen)

    async def say(context: OverlegContext) -> None:
        watch.started()
        services = context.bot_data
        try:
            members = str(await services.db.run(_active_members))
        except Exception as error:
            if database_trouble(error) is None:
                raise
            members = "?"
        jobs = context.job_queue.get_jobs_by_name(JOB_NAME) if context.job_queue else ()
        wake = jobs[0].next_t if jobs else None
        text = catalogue.plain(
            "run.started",
            username=context.bot.username,
            mode=mode,
            database=without_password(settings.database_url),
            members=members,
            next_wake=_moment(wake, settings) if wake else catalogue.plain("run.no_wake"),
        )
        log.info(text)

    async def post_init(started: OverlegApplication) -> None:
        if before is not None:
            await before(started)
        assert started.job_queue is not None
        started.job_queue.run_once(say, 0, name="started", job_kwargs={"misfire_grace_time": None})

    application.post_init = post_init


async def _active_members(session: AsyncSession) -> int:
    query = select(func.count()).select_from(MemberRow)
    return (await session.scalar(query.where(MemberRow.status == MemberStatus.ACTIVE))) or 0


def _moment(when: datetime, settings: Settings) -> str:
    return when.astimezone(settings.timezone).strftime("%Y-%m-%d %H:%M:%S %Z")


def _token_rejected(settings: Settings) -> str:
    token = masked_token(settings.bot_token)
    return catalogue.plain("run.token_rejected", url=settings.bot_api_url, token=token)


def _database_line(settings: Settings, problem: str) -> str:
    url = without_password(settings.database_url)
    problem += password_hint(settings.database_url)
    return catalogue.plain("run.database_gave_up", url=url, problem=problem)
