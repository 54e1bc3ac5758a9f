"""The named HTTP endpoints /ask, /status and /add, for gradio_client and any HTTP caller."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from functools import wraps
from typing import Any

import gradio as gr

from careerbot.bot import CareerBot
from careerbot.errors import CareerBotError
from careerbot.web.chat import plain_history, plain_situation, stream_answer
from careerbot.web.documents import add_uploads

__all__ = ["add_endpoints"]


def add_endpoints(bot: CareerBot) -> None:
    """Register the endpoints in the Blocks being built."""

    @_caller_errors
    def ask(question: str, history: list | None = None, situation: list[str] | None = None) -> dict:
        """Answer `question`: {"answer": text with [n] markers, "citations": [...], "occupations": [...],
        "situation": [...]}. `history`: earlier {"role", "content"} messages or (user, bot) pairs; none
        if left out. `situation`: chip words of an earlier answer's "situation" (some perhaps removed),
        replacing what the history tells; left out, the history tells it."""
        if not isinstance(question, str):
            raise gr.Error(f"question must be text, not {type(question).__name__}")
        try:
            turns = plain_history(history)
        except ValueError as error:
            raise gr.Error(f"bad history: {error}") from None
        try:
            chips = plain_situation(situation)
        except ValueError as error:
            raise gr.Error(f"bad situation: {error}") from None
        *_, answer = stream_answer(bot, question, turns, chips)
        return answer.to_dict()

    @_caller_errors
    def status() -> dict:
        """What the index holds: documents, chunks, model, last update, occupations."""
        facts = asdict(bot.status())
        del facts["store"], facts["corpus"]  # server paths are nobody's business
        return {**facts, "occupations": bot.occupations()}

    gr.api(ask, api_name="ask")
    gr.api(status, api_name="status")

    # Files must come through components, whose preprocessing accepts only files uploaded to
    # gradio's cache (gr.api would hand over any path a caller names).
    documents = gr.File(file_count="multiple", visible=False)
    force = gr.Checkbox(False, visible=False)
    report = gr.JSON(visible=False)

    @_caller_errors
    def add(documents: list[str] | None, force: bool) -> dict:
        """Save documents into the corpus and index them: one result per file."""
        results, _ = add_uploads(bot, documents or [], force=force)
        status = bot.status()
        return {"files": [asdict(r) for r in results], "documents": status.documents, "chunks": status.chunks}

    gr.Button(visible=False).click(
        add, [documents, force], report, api_name="add", concurrency_id="index", concurrency_limit=1
    )


def _caller_errors(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """Our errors reach the caller as their message; any other stays in the server log (show_error=False)."""

    @wraps(endpoint)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return endpoint(*args, **kwargs)
        except CareerBotError as error:
            raise gr.Error(str(error)) from None

    return wrapper
