"""Scripted LLM servers on 127.0.0.1 that speak the OpenAI chat-completions and Ollama protocols.

Each request pops the next scripted reply: its text, how many pieces to stream it in, and an
optional delay (to provoke client timeouts). Requests are recorded for assertions.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    text: str
    delay: float = 0.0
    pieces: int = 4


@dataclass
class ScriptedServer:
    protocol: str  # "openai" or "ollama"
    replies: list[Reply] = field(default_factory=list)
    requests: list[dict] = field(default_factory=list)
    httpd: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}" + ("/v1" if self.protocol == "openai" else "")

    def __enter__(self) -> ScriptedServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                server.requests.append(body)
                reply = server.replies.pop(0) if server.replies else Reply("")
                time.sleep(reply.delay)
                try:
                    if server.protocol == "openai":
                        self._openai(body, reply)
                    else:
                        self._ollama(body, reply)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            def _send(self, content_type: str, payload: bytes) -> None:
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def _openai(self, body: dict, reply: Reply) -> None:
                base = {"id": "chatcmpl-1", "created": 0, "model": body.get("model", "m")}
                if not body.get("stream"):
                    message = {"role": "assistant", "content": reply.text}
                    payload = {
                        **base,
                        "object": "chat.completion",
                        "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
                        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                    }
                    self._send("application/json", json.dumps(payload).encode())
                    return
                events = []
                for piece in _split(reply.text, reply.pieces):
                    delta = {"role": "assistant", "content": piece}
                    choice = {"index": 0, "delta": delta, "finish_reason": None}
                    events.append({**base, "object": "chat.completion.chunk", "choices": [choice]})
                done = {"index": 0, "delta": {}, "finish_reason": "stop"}
                events.append({**base, "object": "chat.completion.chunk", "choices": [done]})
                stream = "".join(f"data: {json.dumps(e)}\n\n" for e in events) + "data: [DONE]\n\n"
                self._send("text/event-stream", stream.encode())

            def _ollama(self, body: dict, reply: Reply) -> None:
                base = {"model": body.get("model", "m"), "created_at": "2026-01-01T00:00:00Z"}
                lines = [
                    {**base, "message": {"role": "assistant", "content": piece}, "done": False}
                    for piece in _split(reply.text, reply.pieces)
                ]
                lines.append(
                    {
                        **base,
                        "message": {"role": "assistant", "content": ""},
                        "done": True,
                        "done_reason": "stop",
                        "total_duration": 1,
                        "eval_count": 1,
                        "prompt_eval_count": 1,
                    }
                )
                if not body.get("stream", True):
                    whole = {**lines[-1], "message": {"role": "assistant", "content": reply.text}}
                    self._send("application/json", json.dumps(whole).encode())
                    return
                self._send("application/x-ndjson", "".join(json.dumps(x) + "\n" for x in lines).encode())

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _split(text: str, pieces: int) -> list[str]:
    size = max(1, -(-len(text) // pieces))
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]
