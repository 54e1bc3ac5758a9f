"""The login throttle: failures slow only the client (address and user name) that made them.

Unit tests drive LoginThrottle with a recorded sleep; the HTTP tests run the real app on loopback,
attackers sending from 127.0.0.2 and the real user from 127.0.0.1 (the whole of 127/8 is loopback).
"""

from __future__ import annotations

import asyncio
import base64
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from careerbot import CareerBot
from careerbot.web import launch
from careerbot.web import login as login_module
from careerbot.web.login import LoginThrottle
from careerbot.web.mcp import MCP_PATH
from tests.processes import free_port

ATTACKER, USER = "127.0.0.2", "127.0.0.1"


def _throttle(delay: float = 1.0, longest: float = 60.0) -> tuple[LoginThrottle, list[float]]:
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    return LoginThrottle("ada", "s3cret", delay=delay, longest=longest, sleep=sleep), waits


def test_each_failure_in_a_row_waits_twice_as_long_up_to_the_longest_and_a_success_resets():
    throttle, waits = _throttle(delay=1.0, longest=10.0)

    async def attempts() -> list[bool]:
        tried = [await throttle.check(ATTACKER, "ada", f"guess {n}") for n in range(6)]
        return [
            *tried,
            await throttle.check(ATTACKER, "ada", "s3cret"),
            await throttle.check(ATTACKER, "ada", "x"),
        ]

    assert asyncio.run(attempts()) == [False] * 6 + [True, False]
    assert waits == [1, 2, 4, 8, 10, 10, 1]  # the success reset the count; a right password never waits


def test_names_that_are_not_the_account_are_slowed_as_one():
    throttle, waits = _throttle()

    async def attempts() -> None:
        for name in ["root", "admin", "bob", "eve"]:
            assert not await throttle.check(ATTACKER, name, "s3cret")

    asyncio.run(attempts())
    assert waits == [1, 2, 4, 8]


def test_another_clients_failures_never_delay_the_right_password():
    """The attacker's failures keep its own turn busy; the user, from another address, is answered
    while the attacker still waits."""

    async def scenario() -> tuple[bool, list[str]]:
        gate = asyncio.Event()
        events: list[str] = []

        async def sleep(seconds: float) -> None:
            events.append("attacker waits")
            await gate.wait()

        throttle = LoginThrottle("ada", "s3cret", delay=5.0, sleep=sleep)
        attackers = [asyncio.create_task(throttle.check(ATTACKER, "ada", f"guess {n}")) for n in range(6)]
        await asyncio.sleep(0)  # the first attacker is now waiting out its failure, the others queue
        right = await asyncio.wait_for(throttle.check(USER, "ada", "s3cret"), timeout=5)
        events.append("user answered")
        gate.set()
        assert await asyncio.gather(*attackers) == [False] * 6
        return right, events

    right, events = asyncio.run(scenario())
    assert right
    assert events[:2] == ["attacker waits", "user answered"]


def test_the_clients_remembered_are_bounded(monkeypatch):
    monkeypatch.setattr(login_module, "REMEMBERED", 50)
    throttle, _ = _throttle(delay=0)

    async def attempts() -> None:
        for n in range(500):
            await throttle.check(f"10.0.{n // 256}.{n % 256}", "ada", "guess")

    asyncio.run(attempts())
    assert len(throttle._clients) == 50


# -- over HTTP, the real app --------------------------------------------------------------------
def _from(address: str, **options) -> httpx.Client:
    return httpx.Client(transport=httpx.HTTPTransport(local_address=address), **options)


def _serve(bot: CareerBot, **options):
    app = launch(bot, port=free_port(), prevent_thread_lock=True, quiet=True, **options)
    return app, app.local_url


def _close(app) -> None:
    app.server.force_exit = True  # attackers still waiting out their failures are not waited for
    app.close()


def test_attackers_on_the_page_login_never_hold_up_the_real_user(fake_bot):
    """Six attacker threads guess at the page's login; the user, from another address, signs in at
    once, while every attacker attempt waits its turn behind the last."""
    delay = 4.0
    bot = CareerBot(settings=fake_bot.settings, username="ada", password="s3cret", login_delay=delay)
    app, url = _serve(bot)
    answered: list[float] = []
    refused: list[bool] = []
    stop = threading.Event()

    def attack(n: int) -> None:
        with _from(ATTACKER, timeout=120) as client:
            while not stop.is_set():
                try:
                    response = client.post(f"{url}login", data={"username": "ada", "password": f"guess {n}"})
                except httpx.HTTPError:  # the app closed under it
                    return
                if not stop.is_set():
                    answered.append(time.monotonic())
                    refused.append(response.status_code == 400)

    attackers = [threading.Thread(target=attack, args=(n,), daemon=True) for n in range(6)]
    try:
        started = time.monotonic()
        for thread in attackers:
            thread.start()
        while not answered and time.monotonic() - started < 60:  # one failure answered: the next waits
            time.sleep(0.05)
        assert answered and answered[0] - started >= delay  # even the first failure waited
        with _from(USER, timeout=120) as user:
            signing_in = time.monotonic()
            response = user.post(f"{url}login", data={"username": "ada", "password": "s3cret"})
            took = time.monotonic() - signing_in
        assert response.status_code == 200
        assert took < delay, took  # before: behind every attacker attempt queued (4 + 8 + 16 ... s)
        # The attackers, six threads for all this time, had one attempt or two answered.
        assert len(answered) <= 2 and all(refused), answered
    finally:
        stop.set()
        _close(app)


def _basic(username: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()}


def test_wrong_mcp_passwords_are_slowed_and_the_right_one_from_elsewhere_is_not(fake_bot):
    """Before, 300 wrong Basic passwords were answered in 1.1 s."""
    delay = 0.2
    bot = CareerBot(settings=fake_bot.settings, username="ada", password="s3cret", login_delay=delay)
    app, url = _serve(bot, mcp=True)
    mcp = f"{url.rstrip('/')}{MCP_PATH}/"

    def guess(n: int) -> tuple[int, float]:
        with _from(ATTACKER, timeout=120) as client:
            response = client.post(mcp, json={}, headers=_basic("ada", f"guess {n}"))
            return response.status_code, time.monotonic()

    try:
        started = time.monotonic()
        with ThreadPoolExecutor(5) as pool:
            guesses = pool.map(guess, range(5))
            time.sleep(0.3)  # the guesses are queued: the first waits out its failure
            with _from(USER, timeout=120) as user:
                right = user.post(mcp, json={}, headers=_basic("ada", "s3cret"))
                user_done = time.monotonic()
            results = list(guesses)
        assert right.status_code != 401  # past the login (the MCP server itself wants a session)
        assert [status for status, _ in results] == [401] * 5
        # Five guesses at once are answered one after another: 0.2 + 0.4 + 0.8 + 1.6 + 3.2 s at least.
        last = max(done for _, done in results)
        assert last - started >= delay * (2**5 - 1)
        assert user_done < last  # the user did not wait behind them
    finally:
        _close(app)


@pytest.mark.parametrize(
    "header", ["Basic !!!", "Basic " + base64.b64encode(b"\xff\xfe:x").decode(), "Bearer x"]
)
def test_malformed_mcp_credentials_are_refused(fake_bot, header):
    bot = CareerBot(settings=fake_bot.settings, username="ada", password="s3cret", login_delay=0)
    app, url = _serve(bot, mcp=True)
    try:
        response = httpx.post(f"{url.rstrip('/')}{MCP_PATH}/", json={}, headers={"Authorization": header})
        assert response.status_code == 401
    finally:
        _close(app)
