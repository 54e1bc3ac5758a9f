"""The Gradio page: a chat with its sources, and the documents behind it. Only the CareerBot API is used."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from typing import Any, TypeVar

import gradio as gr

from careerbot.answer import Answer
from careerbot.bot import CareerBot
from careerbot.documents import DOCUMENT_SUFFIXES
from careerbot.errors import CareerBotError
from careerbot.settings import Settings
from careerbot.web.api import add_endpoints
from careerbot.web.chat import (
    EXAMPLES,
    SITUATION_LABEL,
    chips_update,
    reply_messages,
    stream_answer,
    welcome,
)
from careerbot.web.documents import add_uploads, profile_rows, status_markdown
from careerbot.web.facts import FACTS_HEADERS, FACTS_TYPES, FACTS_WIDTHS, facts_rows, facts_updates
from careerbot.web.login import ClientAddress, LoginThrottle
from careerbot.web.mcp import MCP_PATH, MCP_TOOLS, McpLogin, serve_tools
from careerbot.web.openai import MODEL, OPENAI_PATH, openai_routes

__all__ = ["build_app", "chat_reply", "launch"]

log = logging.getLogger(__name__)

# Answers take tens of milliseconds of CPU: a few at once keeps every user moving on 2 cores.
CHAT_CONCURRENCY = 4
# Requests waiting beyond this are refused with gradio's "queue is full" message.
QUEUE_SIZE = 64

QUESTION_HINT = "How do I become …?"

T = TypeVar("T")

CSS = """
/* One page width whatever the tab holds: the container always fills up to its maximum, and the
   scrollbar's room is kept so the page doesn't shift when a long answer makes the page scroll. */
html { scrollbar-gutter: stable; }
.gradio-container { max-width: 1100px !important; width: 100% !important; margin: 0 auto !important; }
#welcome p { margin: 0; }
#header h2 { margin: 0; }
#chat { height: min(62vh, calc(100dvh - 300px)) !important; min-height: 220px; }
/* The situation: its label, then only its chips, each with its x (no caret, no "clear all", no list
   to open), on one line under the question box while they fit. */
#situation { padding: 4px 10px; }
#situation .container { display: flex; flex-wrap: wrap; align-items: center; column-gap: 10px; }
#situation .container > span { margin: 0; padding: 0; line-height: 1.5; white-space: nowrap; }
#situation .wrap { border: none !important; box-shadow: none !important; background: none; flex: 1 1 0; }
#situation .wrap-inner { padding: 0; gap: 6px; }
#situation .token { padding: 2px 4px 2px 10px; }
#situation .icon-wrap, #situation .remove-all, #situation .secondary-wrap { display: none !important; }
/* ... and the conversation gives up their room, so the question box stays on screen. */
.gradio-container:has(#situation) #chat { height: min(62vh, calc(100dvh - 350px)) !important; }
/* The Documents tab: text in the page's font, headers on one line, buttons their natural size. */
#profiles *, #results *, #facts-table *, #index-status code { font-family: var(--font) !important; }
#index-status code { background: none; border: none; padding: 0; font-size: inherit; }
#profiles th, #results th, #profiles th *, #results th * { white-space: nowrap !important;
  word-break: keep-all !important; }
#profiles td, #results td { word-break: normal !important; overflow-wrap: anywhere; }
#documents-actions { gap: 8px; }
#documents-actions button { flex: 0 1 auto; min-width: max-content; }
#upload-hint p { margin: 0; font-size: var(--text-sm); color: var(--body-text-color-subdued); }
/* On a phone: the question box stays on screen with or without an answer. */
@media (max-width: 640px) {
  #header p { display: none; }
  #welcome { font-size: var(--text-sm); }
  #chat { height: calc(100dvh - 320px) !important; }
  #situation .container > span, #situation .token { font-size: var(--text-sm); }
  #situation .container { column-gap: 6px; }
  #situation .wrap-inner { gap: 4px; }
  #situation .token { padding: 1px 2px 1px 8px; }
  .gradio-container:has(#situation) #chat { height: calc(100dvh - 370px) !important; }
}
"""


def build_app(bot: CareerBot) -> gr.Blocks:
    """The page for `bot`: a Chat tab and a Documents tab, plus the /ask, /status and /add endpoints."""

    def respond(message: str, history: list[dict], situation: list[str] | None) -> Iterator[tuple]:
        yield from chat_reply(bot, message, history, situation)

    def add_from_page(files: list[str] | None, force: bool, progress=gr.Progress()) -> tuple:  # noqa: B008
        if not files:
            return _message_only("Choose one or more files first.")
        try:
            results, report = add_uploads(bot, files, force=force, progress=lambda f, m: progress(f, desc=m))
        except Exception as error:
            return _message_only(_apology(error, "adding the files"))
        table = [[r.file, r.result, r.detail] for r in results]
        summary = f"Index: {report.summary().splitlines()[0]}" if report else "Nothing was added."
        return (*_documents(bot), gr.update(value=table, visible=True), None, summary)

    def rebuild_from_page(progress=gr.Progress()) -> tuple:  # noqa: B008
        progress(0, desc="rebuilding the index: every document is embedded again")
        try:
            report = bot.index(rebuild=True)
        except Exception as error:
            return _message_only(_apology(error, "rebuilding the index"))
        return (*_documents(bot), gr.skip(), gr.skip(), f"Index rebuilt: {report.summary()}")

    with gr.Blocks(title="careerbot", analytics_enabled=False) as app:
        gr.Markdown(
            "## careerbot\nCareer answers from occupation profiles, every statement cited.", elem_id="header"
        )
        with gr.Tabs():
            with gr.Tab("Chat"):
                welcome_line = gr.Markdown(elem_id="welcome")
                # The person's situation, as the last answer holds it: sent with each question, so a
                # chip removed is forgotten. The dropdown shows only its chips (see CSS).
                situation = gr.State(None)
                chips = gr.Dropdown(
                    label=SITUATION_LABEL,
                    choices=[],
                    value=[],
                    multiselect=True,
                    allow_custom_value=False,
                    filterable=False,
                    interactive=True,
                    visible=False,
                    elem_id="situation",
                    render=False,
                )
                # The facts of an answer's occupation, and a pay chart for rankings and comparisons.
                card = gr.Markdown(visible=False, elem_id="facts-card", render=False)
                chart = gr.BarPlot(
                    x="occupation",
                    y="median pay ($ a year)",
                    title="Median pay, as the profiles state it",
                    visible=False,
                    elem_id="facts-chart",
                    render=False,
                )
                chat = gr.ChatInterface(
                    respond,
                    chatbot=gr.Chatbot(
                        label="Conversation",
                        elem_id="chat",
                        buttons=["copy"],
                        placeholder="Ask about an occupation, or pick an example below.",
                        feedback_options=None,
                    ),
                    textbox=gr.Textbox(
                        placeholder=QUESTION_HINT, max_length=2000, submit_btn=True, elem_id="question"
                    ),
                    examples=[[question, None] for question in EXAMPLES],  # None: no situation
                    cache_examples=False,
                    api_name="chat",
                    api_visibility="undocumented",  # the page's own; the documented one is /ask
                    analytics_enabled=False,
                    fill_height=False,
                    additional_inputs=[situation],
                    additional_outputs=[card, chart, situation, chips],
                )
                chips.render()
                chips.input(_removed, chips, [situation, chips], queue=False, api_visibility="private")
                with gr.Row():
                    card.render()
                    chart.render()
                # Gradio blanks the hint once a question is sent; a cleared chat gets it back, and
                # forgets the situation. An undone question may have told some of it: the history
                # left tells it again at the next question.
                forget = (None, gr.update(value=[], choices=[], visible=False))
                chat.chatbot.clear(
                    lambda: (gr.update(placeholder=QUESTION_HINT), *forget),
                    None,
                    [chat.textbox, situation, chips],
                    api_visibility="private",
                )
                chat.chatbot.undo(lambda: forget, None, [situation, chips], api_visibility="private")
            with gr.Tab("Documents"):
                status = gr.Markdown(elem_id="index-status")
                with gr.Row(equal_height=False):
                    with gr.Column(min_width=300):
                        uploads = gr.File(
                            label="Add profiles",
                            file_count="multiple",
                            file_types=sorted(DOCUMENT_SUFFIXES),
                            height=150,
                            elem_id="uploads",
                        )
                        gr.Markdown(
                            f"Accepted: {', '.join(sorted(DOCUMENT_SUFFIXES))}; each file is checked, "
                            "then indexed.",
                            elem_id="upload-hint",
                        )
                        force = gr.Checkbox(label="Replace files with the same name", value=False)
                        with gr.Row(elem_id="documents-actions"):
                            add_button = gr.Button(
                                "Add to the corpus", variant="primary", size="md", elem_id="add"
                            )
                            rebuild_button = gr.Button("Rebuild the index", size="md", elem_id="rebuild")
                        message = gr.Markdown(elem_id="documents-message")
                        results = gr.Dataframe(
                            headers=["File", "Result", "Detail"],
                            label="Result per file",
                            interactive=False,
                            visible=False,
                            wrap=True,
                            column_widths=["30%", "18%", "52%"],
                            elem_id="results",
                        )
                    with gr.Column(min_width=300):
                        profiles = gr.Dataframe(
                            headers=["Occupation", "File", "Chunks"],
                            label="Indexed profiles",
                            interactive=False,
                            show_search="search",
                            max_height=520,
                            wrap=True,
                            column_widths=["40%", "38%", "22%"],
                            elem_id="profiles",
                        )
                facts_table = gr.Dataframe(
                    headers=FACTS_HEADERS,
                    datatype=FACTS_TYPES,
                    column_widths=FACTS_WIDTHS,
                    label="Career facts (as the profiles state them; click a header to sort)",
                    interactive=False,
                    show_search="search",
                    max_height=520,
                    wrap=True,
                    elem_id="facts-table",
                )
        index_events = {"concurrency_id": "index", "concurrency_limit": 1, "api_visibility": "private"}
        changed = [status, profiles, welcome_line, results, uploads, message]
        refresh_facts = {"fn": lambda: facts_rows(bot), "outputs": facts_table, "api_visibility": "private"}
        add_button.click(add_from_page, [uploads, force], changed, **index_events).then(**refresh_facts)
        rebuild_button.click(rebuild_from_page, None, changed, **index_events).then(**refresh_facts)
        # Each visit reads the index afresh: another session may have added documents.
        app.load(lambda: _documents(bot), None, [status, profiles, welcome_line], api_visibility="private")
        app.load(**refresh_facts)
        add_endpoints(bot)
    return app


def chat_reply(
    bot: CareerBot, message: str, history: list[dict], situation: list[str] | None
) -> Iterator[tuple]:
    """The chat's outputs as the reply grows: its messages, the facts card and chart, then (with the
    whole answer) the situation kept and its chips.

    `situation`: the chips kept, sent back; None (a new or undone conversation): the history tells.
    """
    try:
        answers = stream_answer(bot, message, history, situation)
        for answer, whole in _marking_the_last(answers):
            chips = _situation(answer) if whole else (gr.skip(), gr.skip())
            yield reply_messages(answer), *facts_updates(bot, answer), *chips
    except Exception as error:
        apology = [gr.ChatMessage(_apology(error, "answering"), role="assistant")]
        yield apology, *[gr.skip()] * 4


def launch(
    bot: CareerBot,
    *,
    host: str | None = None,
    port: int | None = None,
    mcp: bool | None = None,
    **options: Any,
) -> gr.Blocks:
    """Serve the page, then bring the index in step with the corpus and load the model; serve until
    interrupted. A first start, with nothing indexed yet, builds the index before serving.

    `mcp` (default: the mcp setting) also serves /ask and /status as MCP tools at /gradio_api/mcp/.
    The OpenAI-compatible /v1/models and /v1/chat/completions are always served (see web/openai.py).

    `options` go to gradio's launch (e.g. `prevent_thread_lock=True` returns at once); the app is returned.
    """
    settings = bot.settings
    auth = _auth(settings)  # a half-set login fails now, not after indexing
    if not bot.documents():  # nothing to answer from yet: build the index first
        print(bot.index().summary())
    if settings.embedder == "sentence-transformers":  # the onnx embedders never load torch
        _one_torch_thread_per_request()
    app = build_app(bot).queue(default_concurrency_limit=CHAT_CONCURRENCY, max_size=QUEUE_SIZE)
    wait = not options.pop("prevent_thread_lock", False)
    mcp = settings.mcp if mcp is None else mcp
    throttle = LoginThrottle(*auth, delay=settings.login_delay) if auth else None
    if throttle is not None:  # one throttle for the page's login (so the HTTP API's), MCP's and /v1's
        from starlette.middleware import Middleware

        logins = [Middleware(ClientAddress)] + ([Middleware(McpLogin, throttle=throttle)] if mcp else [])
        options["app_kwargs"] = {**options.get("app_kwargs", {}), "middleware": logins}
    # The OpenAI API's key is checked by the same throttle: a failure there slows that client alone.
    api_login = (auth[0], throttle.check_page) if auth and throttle else None
    routes = openai_routes(bot, login=api_login, concurrency=CHAT_CONCURRENCY)
    options["app_kwargs"] = {**options.get("app_kwargs", {}), "routes": routes}
    app.launch(
        server_name=host or settings.host,
        server_port=settings.port if port is None else port,
        share=False,
        auth=throttle.check_page if throttle else None,
        auth_message="careerbot: please sign in.",
        # FastAPI's own /openapi.json lists every route to anyone; gradio's API info asks for the login.
        app_kwargs={"openapi_url": None, **options.pop("app_kwargs", {})},
        max_file_size=settings.max_document_bytes,
        show_error=False,
        ssr_mode=False,
        css=CSS,
        prevent_thread_lock=True,
        mcp_server=mcp,
        # gradio's own start-up lines include "set `share=True`", which this app never offers.
        **{"quiet": True, **options},
    )
    print(f"careerbot is serving {app.local_url}", flush=True)
    print(f"OpenAI-compatible API (model {MODEL!r}) at {app.local_url.rstrip('/')}{OPENAI_PATH}", flush=True)
    if mcp:
        serve_tools(app, auth)
        print(f"MCP tools {', '.join(MCP_TOOLS)} at {app.local_url.rstrip('/')}{MCP_PATH}/", flush=True)
    # Questions are answered meanwhile, from the index as it was (see CareerBot.retriever).
    threading.Thread(target=_catch_up, args=(bot,), name="careerbot-catch-up", daemon=True).start()
    if wait:
        app.block_thread()
    return app


def _one_torch_thread_per_request() -> None:
    """Each request embeds one short question, many requests at once: one torch thread each.

    Several threads per question spin against each other (measured on 2 busy cores: 12 ms a question
    with one thread, 90-470 ms with two). Set before any thread runs the model: a thread keeps the
    count it started with.
    """
    import torch

    torch.set_num_threads(1)


def _catch_up(bot: CareerBot) -> None:
    """Index what changed while the app was down, then load the model (not during the first visitor's
    question)."""
    try:
        print(bot.index().summary(), flush=True)
        bot.retrieve("warm-up")
    except CareerBotError as error:  # e.g. the Chroma server is down: questions still have the last index
        log.warning("could not bring the index up to date: %s", error)
    except Exception:
        log.exception("could not bring the index up to date")


def _removed(kept: list[str] | None) -> tuple:
    """A chip removed: the situation is what is left; the chips offer nothing else, hidden when none."""
    kept = list(kept or [])
    return kept, gr.update(choices=kept, visible=bool(kept))


def _marking_the_last(items: Iterator[T]) -> Iterator[tuple[T, bool]]:
    """Each item with whether it is the last one."""
    previous: list[T] = []
    for item in items:
        if previous:
            yield previous.pop(), False
        previous.append(item)
    if previous:
        yield previous.pop(), True


def _situation(answer: Answer) -> tuple:
    """The kept situation and its chips after a whole answer."""
    return list(answer.situation), chips_update(answer)


def _documents(bot: CareerBot) -> tuple[str, list, str]:
    """Fresh values for the status line, the profiles table and the welcome line."""
    return status_markdown(bot), profile_rows(bot), welcome(bot)


def _message_only(text: str) -> tuple:
    """Outputs of the documents actions that change only the message line."""
    return (*[gr.skip()] * 5, text)


def _auth(settings: Settings) -> tuple[str, str] | None:
    if settings.username is None and settings.password is None:
        return None
    if settings.username is None or settings.password is None:
        raise CareerBotError("set both CAREERBOT_USERNAME and CAREERBOT_PASSWORD, or neither")
    return settings.username, settings.password.get_secret_value()


def _apology(error: Exception, doing: str) -> str:
    """A message for the page: ours say what to do; anything else goes to the log, not the page."""
    if isinstance(error, CareerBotError):
        return f"Sorry, something stopped me {doing}: {error}"
    log.exception("failed while %s", doing)
    return f"Sorry, something went wrong while {doing}. Please try again; the server log has the details."
