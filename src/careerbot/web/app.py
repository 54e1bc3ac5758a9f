"""The Gradio web app: a chat over the same CareerBot the CLI and the API use."""

from __future__ import annotations

import gradio as gr
import torch

from careerbot.answer import Answer
from careerbot.bot import CareerBot
from careerbot.errors import CareerBotError

__all__ = ["build_app", "launch"]

EXAMPLES = [
    "How do I become a plant manager?",
    "What does an industrial production manager do?",
    "What skills does a plant manager need?",
]


def build_app(bot: CareerBot) -> gr.Blocks:
    """The chat page for `bot`."""

    def respond(message: str, history: list[dict]) -> str:
        try:
            return render_markdown(bot.ask(message))
        except CareerBotError as error:  # e.g. the Chroma server is down: say so, keep serving
            return f"Sorry, I can't answer right now: {error}"

    occupations = bot.occupations()
    return gr.ChatInterface(
        respond,
        title="careerbot",
        description=(
            f"Ask about the {len(occupations)} occupations in the profiles: how to become one, "
            "what they do, pay, skills. Every answer cites the profile it comes from."
        ),
        examples=EXAMPLES,
        cache_examples=False,
    )


def render_markdown(answer: Answer) -> str:
    """Answer text followed by its numbered sources."""
    if not answer.citations:
        return answer.text
    sources = "\n".join(f"{c.id}. **{c.occupation}** — {c.section} (`{c.source}`)" for c in answer.citations)
    return f"{answer.text}\n\n**Sources**\n\n{sources}"


def launch(bot: CareerBot, *, host: str = "127.0.0.1", port: int = 7860) -> None:
    """Index if there is no index yet, then serve the app until interrupted."""
    if bot.status().last_update is None:
        print(bot.index().summary())
    # Each request embeds one short question, many requests at once: one torch thread each.
    # Several threads per question spin against each other (measured on 2 busy cores: 12 ms a
    # question with one thread, 90-470 ms with two).
    torch.set_num_threads(1)
    build_app(bot).queue(default_concurrency_limit=4).launch(server_name=host, server_port=port, share=False)
