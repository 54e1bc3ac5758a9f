"""`careerbot serve --mcp`: /ask and /status as MCP tools, called by the `mcp` package's own client
over streamable HTTP against the app on loopback; a login protects them too."""

from __future__ import annotations

import asyncio
import base64
import socket
from collections.abc import Iterator

import httpx
import pytest
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client

from careerbot import CareerBot
from careerbot.web import launch
from careerbot.web.mcp import MCP_PATH

PLANT_MANAGER = "How do I become a plant manager?"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(bot: CareerBot, **options) -> Iterator[str]:
    app = launch(bot, port=_free_port(), prevent_thread_lock=True, **options)
    try:
        yield f"{app.local_url.rstrip('/')}{MCP_PATH}/"
    finally:
        app.close()


def _session(url: str, login: tuple[str, str] | None = None):
    """List the tools, ask, read the status: what an MCP client does, in one session."""

    async def run() -> dict:
        async with (
            httpx.AsyncClient(headers=_basic(login)) as http,
            streamable_http_client(url, http_client=http) as (read, write, _),
            ClientSession(read, write) as session,
        ):
            await session.initialize()
            tools = (await session.list_tools()).tools
            asked = await session.call_tool("ask", {"question": PLANT_MANAGER})
            status = await session.call_tool("status", {})
            return {"tools": {t.name: t for t in tools}, "ask": asked, "status": status}

    return asyncio.run(run())


@pytest.fixture
def mcp_url(fake_bot) -> Iterator[str]:
    yield from _serve(fake_bot, mcp=True)


def test_an_mcp_client_asks_and_reads_the_status(mcp_url):
    found = _session(mcp_url)
    assert set(found["tools"]) == {"ask", "status"}  # never add: an agent doesn't write the corpus
    assert found["tools"]["ask"].inputSchema["required"] == ["question"]
    asked = found["ask"]
    assert not asked.isError
    text = asked.content[0].text
    assert "bachelor" in text and "[1]" in text and "industrial-production-manager.txt" in text
    status = found["status"]
    assert not status.isError and "Industrial Production Manager" in status.content[0].text


def test_the_mcp_setting_turns_it_on_and_it_is_off_by_default(fake_bot, monkeypatch):
    for url in _serve(fake_bot):
        assert httpx.post(url, json={}).status_code == 404
    monkeypatch.setenv("CAREERBOT_MCP", "1")
    where = fake_bot.settings
    bot = CareerBot(corpus=where.corpus, store=where.store, embedder="hash")  # mcp from the environment
    for url in _serve(bot):
        assert set(_session(url)["tools"]) == {"ask", "status"}


def test_the_login_protects_the_mcp_tools(fake_bot):
    bot = CareerBot(settings=fake_bot.settings, username="ada", password="s3cret")
    for url in _serve(bot, mcp=True):
        for login in [None, ("ada", "wrong"), ("eve", "s3cret")]:
            assert httpx.post(url, json={}, headers=_basic(login)).status_code == 401
            with pytest.raises(Exception) as refused:
                _session(url, login)
            assert "401" in repr(refused.value) or "Unauthorized" in repr(refused.value), refused.value
        found = _session(url, ("ada", "s3cret"))
        assert not found["ask"].isError and "[1]" in found["ask"].content[0].text
        assert "Industrial Production Manager" in found["status"].content[0].text


def _basic(login: tuple[str, str] | None) -> dict[str, str]:
    if login is None:
        return {}
    return {"Authorization": "Basic " + base64.b64encode(":".join(login).encode()).decode()}
