"""The login check of every route that takes a password: the page (and so the HTTP API), MCP.

Guessing is slowed per client address and user name: each failure in a row is answered after twice
the wait of the last, and that client's other attempts wait their turn. Another client (the real user
at home) never waits for it, however many attempts are sent at once.
"""

from __future__ import annotations

import asyncio
import hmac
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ClientAddress", "LoginThrottle"]

# The address of the client whose request is being answered, set by ClientAddress (gradio hands its
# login check only the name and password).
_CLIENT: ContextVar[str] = ContextVar("careerbot_client", default="unknown")
# Clients remembered at once; the least recently seen are forgotten first (an attacker's many
# addresses cost memory only up to this).
REMEMBERED = 4096


@dataclass
class _Client:
    failures: int = 0  # in a row
    turn: asyncio.Lock = field(default_factory=asyncio.Lock)  # its attempts are answered one at a time


class LoginThrottle:
    """The one account's login check, slowed per (client address, user name).

    The n-th failure in a row from one address with one name is answered after `delay * 2**(n-1)`
    seconds (at most `longest`), and that client's attempts sent at once wait their turn; a success
    resets it. Other clients are answered meanwhile. Names that are not the account's count as one
    name, so guessing names is slowed too.
    """

    def __init__(
        self,
        username: str,
        password: str,
        *,
        delay: float,
        longest: float = 60.0,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        self._username, self._password = username.encode(), password.encode()
        self.delay, self.longest = delay, longest
        self._sleep = sleep
        self._clients: OrderedDict[tuple[str, str], _Client] = OrderedDict()

    async def check(self, address: str, username: str, password: str) -> bool:
        """Are these the account's name and password? A failure is answered after its wait."""
        known = hmac.compare_digest(username.encode(), self._username)
        key = (address, username if known else "")
        client = self._client(key)
        async with client.turn:
            if known & hmac.compare_digest(password.encode(), self._password):
                client.failures = 0
                return True
            client.failures += 1
            await self._sleep(self.wait_after(client.failures))
            return False

    async def check_page(self, username: str, password: str) -> bool:
        """gradio's `auth`: `check` for the client ClientAddress saw (a coroutine function: gradio
        awaits only those, and would take the coroutine another callable returns for a yes)."""
        return await self.check(_CLIENT.get(), username, password)

    def wait_after(self, failures: int) -> float:
        """Seconds the answer to a client's `failures`-th failure in a row waits."""
        return min(self.delay * 2 ** (failures - 1), self.longest) if self.delay and failures else 0.0

    def _client(self, key: tuple[str, str]) -> _Client:
        client = self._clients.get(key)
        if client is None:
            client = self._clients[key] = _Client()
            for old in list(self._clients)[: max(len(self._clients) - REMEMBERED, 0)]:
                if not self._clients[old].turn.locked():  # an attempt under way keeps its client
                    del self._clients[old]
        self._clients.move_to_end(key)
        return client


class ClientAddress:
    """ASGI middleware: remembers each HTTP request's client address for LoginThrottle.check_page."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            client = scope.get("client")
            _CLIENT.set(str(client[0]) if client else "unknown")
        await self.app(scope, receive, send)
