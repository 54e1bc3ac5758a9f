"""careerbot as an OpenAI-compatible model: GET /v1/models and POST /v1/chat/completions, served
next to the page, so any chat UI (Open WebUI, LibreChat, ...) or the `openai` client can use it.

A request's messages are the conversation: the last user message is the question, the earlier ones
its history (each request stands alone, as with /ask). The reply is the answer with its [n] markers
and a Markdown list of its sources; the same sources, passages included, are in `citations`.
With a login set, the password is the API key, checked by the page's own (slowed) login check.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any, Literal

import anyio
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.routing import BaseRoute

from careerbot.answer import Answer
from careerbot.bot import CareerBot
from careerbot.errors import CareerBotError
from careerbot.web.chat import plain_history, sources_list

__all__ = ["MODEL", "OPENAI_PATH", "ChatRequest", "Completion", "CompletionChunk", "openai_routes"]

log = logging.getLogger(__name__)

OPENAI_PATH = "/v1"
MODEL = "careerbot"
# A long conversation, its sources included, is a few hundred kB; anything bigger is refused unread.
MAX_BODY_BYTES = 4_000_000

# The login: the account's username and the page's check, `await check(username, password)`.
Login = tuple[str, Callable[[str, str], Awaitable[bool]]]


# -- what is asked ---------------------------------------------------------------------------------
class Part(BaseModel):
    """A piece of a message's content; only text parts are read."""

    model_config = ConfigDict(extra="allow")
    type: str
    text: str | None = None


class Message(BaseModel):
    model_config = ConfigDict(extra="allow")  # name, tool_calls, ...: accepted, not read
    role: str
    content: str | list[Part] | None = None

    def plain(self) -> dict[str, str]:
        content = self.content
        if isinstance(content, list):
            content = " ".join(part.text for part in content if part.type == "text" and part.text)
        return {"role": self.role, "content": content or ""}


class ChatRequest(BaseModel):
    # temperature, max_tokens, top_p, user, ...: accepted and ignored (the answer is quoted, not sampled).
    model_config = ConfigDict(extra="allow")
    model: str
    messages: list[Message] = Field(min_length=1)
    stream: bool = False


# -- what is answered --------------------------------------------------------------------------------
class ModelCard(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int
    owned_by: str = "careerbot"


class Reply(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str


class Choice(BaseModel):
    index: int = 0
    message: Reply
    finish_reason: Literal["stop"] = "stop"


class Completion(BaseModel):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[Choice]
    citations: list[dict[str, Any]]  # {id, occupation, section, source, text}, as /ask returns them


class Delta(BaseModel):
    role: Literal["assistant"] | None = None
    content: str | None = None


class ChunkChoice(BaseModel):
    index: int = 0
    delta: Delta
    finish_reason: Literal["stop"] | None = None


class CompletionChunk(BaseModel):
    id: str
    object: Literal["chat.completion.chunk"] = "chat.completion.chunk"
    created: int
    model: str
    choices: list[ChunkChoice]
    citations: list[dict[str, Any]] | None = None  # on the last chunk


class RequestError(Exception):
    """A request refused, with the OpenAI error fields."""

    def __init__(self, status: int, message: str, *, param: str | None = None, code: str | None = None):
        super().__init__(message)
        self.status, self.param, self.code = status, param, code


# -- the routes ----------------------------------------------------------------------------------------
def openai_routes(bot: CareerBot, *, login: Login | None, concurrency: int) -> list[BaseRoute]:
    """The /v1 routes for `bot`, to add to the app. `concurrency`: answers computed at once."""
    router = APIRouter(prefix=OPENAI_PATH)
    answering = anyio.CapacityLimiter(concurrency)  # the page's queue doesn't see these requests
    started = int(time.time())

    async def signed_in(request: Request) -> None:
        if login is None:
            return
        scheme, _, key = request.headers.get("authorization", "").partition(" ")
        username, check = login
        if not await check(username, key.strip() if scheme.lower() == "bearer" else ""):
            raise RequestError(
                401, "Incorrect API key: careerbot's API key is its password.", code="invalid_api_key"
            )

    card = ModelCard(id=MODEL, created=started).model_dump()

    @router.get("/models")
    async def models(request: Request) -> Response:
        try:
            await signed_in(request)
        except RequestError as error:
            return _error(error)
        return JSONResponse({"object": "list", "data": [card]})

    @router.get("/models/{model}")
    async def one_model(request: Request, model: str) -> Response:
        try:
            await signed_in(request)
            _known(model)
        except RequestError as error:
            return _error(error)
        return JSONResponse(card)

    @router.post("/chat/completions")
    async def chat_completions(request: Request) -> Response:
        try:
            await signed_in(request)
            asked = _read(await _body(request))
            question, history = _conversation(asked)
        except RequestError as error:
            return _error(error)
        reply = f"chatcmpl-{uuid.uuid4().hex}"
        if asked.stream:
            chunks = _chunks(bot, question, history, answering, reply, asked.model)
            headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
            return StreamingResponse(chunks, media_type="text/event-stream", headers=headers)
        try:
            answer = await anyio.to_thread.run_sync(bot.ask, question, history, limiter=answering)
        except Exception as error:
            return _error(_failed(error))
        completion = Completion(
            id=reply,
            created=int(time.time()),
            model=asked.model,
            choices=[Choice(message=Reply(content=answer.text + _sources(answer)))],
            citations=answer.to_dict()["citations"],
        )
        return JSONResponse(completion.model_dump())

    return list(router.routes)


async def _body(request: Request) -> bytes:
    body = bytearray()
    async for part in request.stream():
        body += part
        if len(body) > MAX_BODY_BYTES:
            raise RequestError(413, f"The request is over {MAX_BODY_BYTES:,} bytes.", param="messages")
    return bytes(body)


def _read(body: bytes) -> ChatRequest:
    """The request, or a 400 naming the first thing wrong with it."""
    try:
        asked = ChatRequest.model_validate_json(body)
    except ValidationError as invalid:
        first = invalid.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        if first["type"] == "json_invalid":
            raise RequestError(
                400, f"The body is not valid JSON ({first['msg'].removeprefix('Invalid JSON: ')})."
            ) from None
        message = f"{where}: {first['msg']}" if where else f"The body must be a JSON object: {first['msg']}"
        raise RequestError(400, message, param=where or None) from None
    _known(asked.model)
    return asked


def _known(model: str) -> None:
    if model != MODEL:
        unknown = f"The model {model!r} does not exist; this server has {MODEL!r}."
        raise RequestError(404, unknown, param="model", code="model_not_found")


def _conversation(asked: ChatRequest) -> tuple[str, list[dict[str, str]]]:
    """The question (the last message, the user's) and the history before it."""
    *earlier, last = asked.messages
    if last.role != "user":
        wrong = f"The last message must be the user's question, not a {last.role!r} message."
        raise RequestError(400, wrong, param="messages")
    return last.plain()["content"], plain_history([m.plain() for m in earlier])


async def _chunks(
    bot: CareerBot,
    question: str,
    history: list[dict[str, str]],
    answering: anyio.CapacityLimiter,
    reply: str,
    model: str,
) -> AsyncIterator[str]:
    """Server-sent events: the role, the answer's pieces as they are made, its sources, the end."""
    created = int(time.time())

    def event(delta: Delta, *, end: Answer | None = None) -> str:
        chunk = CompletionChunk(
            id=reply,
            created=created,
            model=model,
            choices=[ChunkChoice(delta=delta, finish_reason="stop" if end else None)],
            citations=end.to_dict()["citations"] if end else None,
        )
        return f"data: {chunk.model_dump_json(exclude_none=True)}\n\n"

    yield event(Delta(role="assistant", content=""))
    pieces = bot.stream(question, history)
    try:
        while True:
            piece = await anyio.to_thread.run_sync(_next, pieces, limiter=answering)
            if piece is None or isinstance(piece, Answer):
                break
            yield event(Delta(content=piece))
    except Exception as error:  # the reply has begun: the error goes as an event, as OpenAI sends it
        yield f"data: {json.dumps(_error_body(_failed(error)))}\n\n"
        return
    finally:
        pieces.close()
    if piece is not None:
        if piece.citations:
            yield event(Delta(content=_sources(piece)))
        yield event(Delta(), end=piece)
    yield "data: [DONE]\n\n"


def _next(pieces: Iterator[str | Answer]) -> str | Answer | None:
    return next(pieces, None)


def _sources(answer: Answer) -> str:
    """The sources after the answer, as Markdown that chat UIs render."""
    return f"\n\n**Sources**\n\n{sources_list(answer)}" if answer.citations else ""


def _failed(error: Exception) -> RequestError:
    """Ours say what went wrong (e.g. the Chroma server is down); any other stays in the server log."""
    if isinstance(error, CareerBotError):
        return RequestError(500, f"careerbot could not answer: {error}")
    log.exception("failed while answering over the OpenAI API")
    return RequestError(500, "careerbot could not answer; the server log has the details.")


def _error_body(error: RequestError) -> dict:
    kind = "server_error" if error.status >= 500 else "invalid_request_error"
    return {"error": {"message": str(error), "type": kind, "param": error.param, "code": error.code}}


def _error(error: RequestError) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if error.status == 401 else None
    return JSONResponse(_error_body(error), status_code=error.status, headers=headers)
