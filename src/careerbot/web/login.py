"""The login check gradio calls: every attempt waits its turn, and each failure makes the next
attempt wait longer, so guessing a password is slow however many requests are sent at once."""

from __future__ import annotations

import asyncio
import hmac

__all__ = ["SlowLogin"]


class SlowLogin:
    """The login check for one username and password: pass `.check` as gradio's `auth`.

    gradio hands the check only the name and password, not the client, and careerbot has one
    account: the delay is per account. After n failures in a row an attempt waits `delay * 2**(n-1)`
    seconds (at most `longest`) before it is answered; a success resets it.
    """

    def __init__(self, username: str, password: str, *, delay: float, longest: float = 60.0) -> None:
        self._username, self._password = username.encode(), password.encode()
        self.delay, self.longest = delay, longest
        self.failures = 0
        self._turn: asyncio.Lock | None = None  # created in the server's event loop

    async def check(self, username: str, password: str) -> bool:
        """gradio's `auth` (a coroutine function: gradio awaits only those, and would take the
        coroutine an async __call__ returns for a yes)."""
        if self._turn is None:
            self._turn = asyncio.Lock()
        async with self._turn:  # attempts sent at once are answered one after another
            right = hmac.compare_digest(username.encode(), self._username)
            right &= hmac.compare_digest(password.encode(), self._password)
            if right:
                self.failures = 0
                return True
            self.failures += 1
            await asyncio.sleep(min(self.delay * 2 ** (self.failures - 1), self.longest) if self.delay else 0)
            return False
