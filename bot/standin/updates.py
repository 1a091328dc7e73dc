"""Update delivery: getUpdates long polling, webhooks and the methods around them.

Delivery is where a bot's start-up and shutdown code meets Telegram (PTB deletes the
webhook, polls, confirms the last offset on stop), so the conflicts Telegram reports
between these modes are reproduced rather than papered over.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from functools import partial
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from bot.standin.methods import served
from bot.standin.models import ApiError, bad_request
from bot.standin.state import DEFAULT_UPDATES, World

__all__ = ["WebhookPusher"]

WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
POLL_CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


@served("getUpdates")
async def get_updates(world: World, params: dict[str, Any]) -> Any:
    if world.webhook_url is not None:
        raise ApiError(409, WEBHOOK_CONFLICT)
    limit = min(max(params.get("limit", 100), 1), 100)
    timeout = max(params.get("timeout", 0), 0)
    if "allowed_updates" in params:
        world.allowed_updates = frozenset(params["allowed_updates"]) or DEFAULT_UPDATES
    if "offset" in params:
        world.confirm_updates(params["offset"])
    # A newer poll terminates an older one, exactly as Telegram does.
    world.poll_generation += 1
    generation = world.poll_generation
    world.notify()

    def ready() -> bool:
        return (
            bool(world.pending_updates)
            or world.poll_generation != generation
            or world.webhook_url is not None
            or world.closing
        )

    await world.wait_until(ready, timeout)
    if world.poll_generation != generation:
        raise ApiError(409, POLL_CONFLICT)
    if world.webhook_url is not None:
        raise ApiError(409, WEBHOOK_CONFLICT)
    return world.pending_updates[:limit]


@served("setWebhook")
async def set_webhook(world: World, params: dict[str, Any]) -> Any:
    url: str = params["url"]
    if url == "":
        return await delete_webhook(world, params)
    parts = urlsplit(url)
    local = parts.hostname in ("127.0.0.1", "localhost", "::1")
    if parts.scheme != "https" and not (parts.scheme == "http" and local):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    secret = params.get("secret_token")
    if secret is not None and not _SECRET.fullmatch(secret):
        raise bad_request("secret token contains unallowed characters")
    if params.get("drop_pending_updates"):
        world.pending_updates.clear()
    if "allowed_updates" in params:
        world.allowed_updates = frozenset(params["allowed_updates"]) or DEFAULT_UPDATES
    world.webhook_url = url
    world.webhook_secret = secret
    world.webhook_max_connections = params.get("max_connections", 40)
    world.webhook_last_error = None
    world.notify()
    return True


@served("deleteWebhook")
async def delete_webhook(world: World, params: dict[str, Any]) -> Any:
    if params.get("drop_pending_updates"):
        world.pending_updates.clear()
    world.webhook_url = None
    world.webhook_secret = None
    world.notify()
    return True


@served("getWebhookInfo")
async def get_webhook_info(world: World, params: dict[str, Any]) -> Any:
    info: dict[str, Any] = {
        "url": world.webhook_url or "",
        "has_custom_certificate": False,
        "pending_update_count": len(world.pending_updates),
    }
    if world.webhook_url is not None:
        info["max_connections"] = world.webhook_max_connections
        if world.allowed_updates != DEFAULT_UPDATES:
            info["allowed_updates"] = sorted(world.allowed_updates)
    if world.webhook_last_error is not None:
        info["last_error_date"], info["last_error_message"] = world.webhook_last_error
    return info


@served("close")
async def close(world: World, params: dict[str, Any]) -> Any:
    return True


@served("logOut")
async def log_out(world: World, params: dict[str, Any]) -> Any:
    return True


def _changed(world: World, url: str | None) -> bool:
    return world.webhook_url != url


class WebhookPusher:
    """POSTs queued updates to the webhook one at a time, retrying after failures.

    An update counts as delivered (and leaves the queue) only on a 2xx answer, which is
    what lets a test see a bot's webhook endpoint fail and recover.
    """

    def __init__(self, world: World, retry_delay: float = 0.5) -> None:
        self._world = world
        self._retry_delay = retry_delay
        self._session: aiohttp.ClientSession | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._session = aiohttp.ClientSession()
        self._task = asyncio.create_task(self._run(), name="standin-webhook")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _run(self) -> None:
        world = self._world

        def deliverable() -> bool:
            return world.webhook_url is not None and bool(world.pending_updates)

        while not world.closing:
            if not await world.wait_until(deliverable, 3600):
                continue
            url = world.webhook_url
            update = world.pending_updates[0]
            error = await self._post(update)
            if error is None:
                world.pending_updates = [
                    u for u in world.pending_updates if u["update_id"] != update["update_id"]
                ]
                world.notify()
                continue
            world.webhook_last_error = (int(time.time()), error)
            # Wait before retrying, but react at once if the bot changes its webhook.
            await world.wait_until(partial(_changed, world, url), self._retry_delay)

    async def _post(self, update: dict[str, Any]) -> str | None:
        """Deliver one update; the error text getWebhookInfo should show, or None."""
        assert self._session is not None and self._world.webhook_url is not None
        headers = {}
        if self._world.webhook_secret is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = self._world.webhook_secret
        try:
            async with self._session.post(
                self._world.webhook_url,
                json=update,
                headers=headers,
                timeout=aiohttp.ClientTimeout(total=10),
            ) as response:
                if 200 <= response.status < 300:
                    return None
                return f"Wrong response from the webhook: {response.status} {response.reason}"
        except (aiohttp.ClientError, OSError, ValueError) as exc:
            return f"Connection failed: {exc or type(exc).__name__}"
