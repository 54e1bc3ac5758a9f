"""The app's /ask and /status as Model Context Protocol tools, through gradio's own MCP server.

Gradio serves every documented endpoint as a tool at /gradio_api/mcp/ and leaves that path outside
its login. Here the tools are cut down to asking and reading the status (an agent never writes into
the corpus), and with a login set, MCP requests must carry the same user and password as HTTP Basic
credentials (`Authorization: Basic ...`, which MCP clients send as a configured header).
"""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING, Any

from careerbot.errors import CareerBotError
from careerbot.web.login import LoginThrottle

if TYPE_CHECKING:
    import gradio as gr

__all__ = ["MCP_PATH", "MCP_TOOLS", "McpLogin", "serve_tools"]

MCP_PATH = "/gradio_api/mcp"
MCP_TOOLS = ("ask", "status")


class McpLogin:
    """ASGI middleware: requests under MCP_PATH need the app's user and password (HTTP Basic), checked
    by the app's LoginThrottle."""

    def __init__(self, app: Any, *, throttle: LoginThrottle) -> None:
        self.app = app
        self.throttle = throttle

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"].startswith(MCP_PATH) and not await self._allowed(scope):
            await send(
                {
                    "type": "http.response.start",
                    "status": 401,
                    "headers": [
                        (b"content-type", b"text/plain; charset=utf-8"),
                        (b"www-authenticate", b'Basic realm="careerbot"'),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": b"careerbot: this MCP server needs a login."})
            return
        await self.app(scope, receive, send)

    async def _allowed(self, scope: dict) -> bool:
        header = dict(scope.get("headers") or []).get(b"authorization", b"")
        scheme, _, token = header.partition(b" ")
        if scheme.lower() != b"basic":
            return False
        try:
            given = base64.b64decode(token.strip(), validate=True).decode("utf-8")
        except (binascii.Error, ValueError):  # UnicodeDecodeError is a ValueError
            return False
        username, _, password = given.partition(":")
        client = scope.get("client")
        return await self.throttle.check(str(client[0]) if client else "unknown", username, password)


def serve_tools(app: gr.Blocks, auth: tuple[str, str] | None) -> None:
    """Once gradio has started its MCP server: keep only the MCP_TOOLS, and let its calls back into
    the app (how gradio runs queued tools) sign in when the app has a login."""
    server = app.mcp_server_obj
    if server is None:
        raise CareerBotError(f"the MCP server did not start: {app.mcp_error or 'unknown reason'}")
    kept = {tool: endpoint for tool, endpoint in server.tool_to_endpoint.items() if tool in MCP_TOOLS}
    if set(kept) != set(MCP_TOOLS):
        raise CareerBotError(f"the app lacks the MCP tools {sorted(set(MCP_TOOLS) - set(kept))}")
    server.tool_to_endpoint = kept
    if auth is not None:
        from gradio_client import Client

        # gradio builds this client on the first tool call, without the login: build it with one.
        server._client_instance = Client(
            app.local_url,
            auth=auth,
            download_files=False,
            verbose=False,
            analytics_enabled=False,
            headers={"x-gradio-user": "mcp"},
        )
