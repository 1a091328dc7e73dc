"""PTB's requests to the Bot API made with aiohttp instead of httpx.

PTB leaves the HTTP client to a :class:`telegram.request.BaseRequest`; its own, ``HTTPXRequest``,
costs about 1.1 ms of CPU a request against 0.09 ms for aiohttp's client on the same loopback
(bench figures in docs/benchmarks.md, "Replies"). On two cores that was a fifth of what a
command costs the bot. aiohttp is already here (the stand-in is an aiohttp server), and the
class follows ptbcontrib's ``AiohttpRequest``: the same form and multipart bodies PTB gives
httpx, and PTB's errors (``TimedOut``, ``NetworkError``) for no answer.

Timeouts map onto aiohttp's: read onto ``sock_read``, connect onto ``sock_connect``, and pool
plus connect onto ``connect`` (waiting for a free connection and making one). aiohttp has no
write timeout, and no total is set, so a long poll lasts as long as PTB asks. A decision record:
docs/decisions/operations.md.
"""

from __future__ import annotations

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

# As HTTPXRequest's defaults: seconds.
READ_TIMEOUT = 5.0
CONNECT_TIMEOUT = 5.0
POOL_TIMEOUT = 1.0
MEDIA_READ_TIMEOUT = 20.0  # an upload (an .ics file) may take longer to be answered


class AiohttpRequest(BaseRequest):
    """One aiohttp session, ``connection_pool_size`` connections at most, for PTB's calls."""

    __slots__ = ("_pool_size", "_session")

    def __init__(self, connection_pool_size: int = 1) -> None:
        self._pool_size = connection_pool_size
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float:
        return READ_TIMEOUT

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size)
            self._session = aiohttp.ClientSession(
                connector=connector, timeout=aiohttp.ClientTimeout(total=None)
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized")
        files = request_data is not None and request_data.contains_files
        pool = _given(pool_timeout, POOL_TIMEOUT)
        connect = _given(connect_timeout, CONNECT_TIMEOUT)
        timeout = aiohttp.ClientTimeout(
            total=None,
            # aiohttp's "connect" is the wait for a free connection and making one: both.
            connect=None if pool is None or connect is None else pool + connect,
            sock_connect=connect,
            sock_read=_given(read_timeout, MEDIA_READ_TIMEOUT if files else READ_TIMEOUT),
        )
        try:
            async with self._session.request(
                method,
                url,
                headers={"User-Agent": self.USER_AGENT},
                timeout=timeout,
                data=_body(request_data),
            ) as response:
                return response.status, await response.read()
        except TimeoutError as error:
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error


def _given(value: ODVInput[float], default: float) -> float | None:
    return default if isinstance(value, DefaultValue) else value


def _body(request_data: RequestData | None) -> aiohttp.FormData | dict[str, str] | None:
    """The parameters as a form, as PTB gives them to httpx; multipart when there are files."""
    if request_data is None:
        return None
    fields = request_data.json_parameters
    if not request_data.contains_files:
        return fields
    form = aiohttp.FormData(fields)
    for name, (filename, content, mimetype) in request_data.multipart_data.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form
