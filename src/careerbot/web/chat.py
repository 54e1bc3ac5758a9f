"""The chat: the answer as it grows, then its numbered sources in a collapsible block."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

import gradio as gr

from careerbot.answer import Answer
from careerbot.bot import CareerBot

__all__ = [
    "EXAMPLES",
    "SITUATION_LABEL",
    "chips_update",
    "plain_history",
    "plain_situation",
    "reply_messages",
    "sources_list",
    "sources_markdown",
    "stream_answer",
    "suggestions",
    "welcome",
]

EXAMPLES = [
    "How do I become a plant manager?",
    "What does a logistician earn?",
    "What skills does a welder need?",
    "What is the job outlook for registered nurses?",
]

SITUATION_LABEL = "Your situation"


def stream_answer(
    bot: CareerBot, question: str, history: Sequence[dict], situation: Sequence[str] | None = None
) -> Iterator[Answer]:
    """The answer as it grows: partial Answers without citations, then the whole one.

    The history keeps follow-ups ("And the pay?") on the occupation being discussed; `situation`
    (chip words), when given, replaces the situation the history tells.
    """
    text, growing = "", None
    for piece in bot.stream(question, plain_history(history), situation=situation):
        if isinstance(piece, Answer):
            yield piece  # the whole answer replaces the last partial one
            return
        if growing is not None:
            yield growing
        text += piece
        growing = Answer(text)


def reply_messages(answer: Answer) -> list[gr.ChatMessage]:
    """The answer (with "Did you mean ...?" buttons when the question may mean another occupation),
    then (once complete) its sources, collapsed, titled with their occupations."""
    text, options = answer.text, suggestions(answer)
    if options:
        text += "\n\n*Did you mean another occupation?*"
    messages = [gr.ChatMessage(text, role="assistant")]
    if answer.citations:
        occupations = ", ".join(dict.fromkeys(c.occupation for c in answer.citations))
        count = len(answer.citations)
        title = f"{count} source{'s' if count > 1 else ''}: {occupations}"
        messages.append(
            gr.ChatMessage(
                sources_markdown(answer), role="assistant", metadata={"title": title, "status": "done"}
            )
        )
    # The chat shows the options of its last message only: they go under the sources.
    messages[-1].options = options
    return messages


def chips_update(answer: Answer) -> dict:
    """The situation chips after a whole answer: its situation, each removable; hidden when empty."""
    chips = list(answer.situation)
    return gr.update(value=chips, choices=chips, visible=bool(chips))


def suggestions(answer: Answer) -> list[dict[str, str]]:
    """A button per alternative; clicking one asks the same about that occupation."""
    return [{"label": name, "value": f"What about {name}?"} for name in answer.alternatives]


def sources_markdown(answer: Answer) -> str:
    """Each citation as `[n] occupation · section`, its file, and the cited passage quoted."""
    return "\n\n".join(
        f"**[{c.id}] {_literal(c.occupation)} · {_literal(c.section)}**  \n"
        f"`{c.source.replace('`', '')}`\n\n{_quote(c.text)}"
        for c in answer.citations
    )


def sources_list(answer: Answer) -> str:
    """Each citation as a Markdown list item `[n] occupation · section · file`, without the passage."""
    return "\n".join(
        f"- [{c.id}] {_literal(c.occupation)} · {_literal(c.section)} · `{c.source.replace('`', '')}`"
        for c in answer.citations
    )


def welcome(bot: CareerBot) -> str:
    """What the bot knows, in one line."""
    count = len(bot.occupations())
    if not count:
        return "No occupation profiles are indexed yet: add some under **Documents**."
    return (
        f"I know **{count} occupations** from their profiles. Ask how to become one, what they do, "
        "what they earn, the skills they need or their outlook: every answer cites its sources."
    )


def plain_history(history: Sequence[Any] | None) -> list[dict[str, str]]:
    """The turns of a conversation as {"role", "content"} text, without the sources blocks.

    Takes messages (Gradio's or OpenAI's {"role", "content"}) or (user, bot) pairs, as `bot.ask`
    does; anything else raises ValueError saying which item is wrong and what was expected.
    """
    if history is None:
        return []
    if not isinstance(history, list | tuple):
        raise ValueError(f"history must be a list of messages, not {_kind(history)}")
    turns = []
    for n, message in enumerate(history):
        if isinstance(message, list | tuple):  # a (user, bot) pair; either side may be empty
            if len(message) != 2 or not all(side is None or isinstance(side, str) for side in message):
                raise ValueError(f"history[{n}] must be a (user, bot) pair of texts, not {_kind(message)}")
            turns += [
                {"role": role, "content": text}
                for role, text in zip(("user", "assistant"), message, strict=True)
                if text
            ]
            continue
        if not isinstance(message, dict):
            raise ValueError(
                f'history[{n}] must be a {{"role", "content"}} message or a (user, bot) pair, '
                f"not {_kind(message)}"
            )
        if (message.get("metadata") or {}).get("title"):
            continue
        content = message.get("content")
        if isinstance(content, list):  # gradio 6 sends [{"type": "text", "text": ...}]
            content = " ".join(part.get("text", "") for part in content if isinstance(part, dict))
        if isinstance(content, str) and message.get("role") in {"user", "assistant"}:
            turns.append({"role": message["role"], "content": content})
    return turns


def plain_situation(situation: Any) -> list[str] | None:
    """The situation's chip words as sent back (None: left out); anything but a list of texts raises
    ValueError saying what was expected."""
    if situation is None:
        return None
    if not isinstance(situation, list | tuple) or not all(isinstance(word, str) for word in situation):
        raise ValueError(f'situation must be a list of words such as "no blood", not {_kind(situation)}')
    return list(situation)


def _kind(value: Any) -> str:
    shown = repr(value)
    return f"{type(value).__name__} {shown[:40]}{'…' if len(shown) > 40 else ''}"


def _quote(text: str) -> str:
    """A passage as a Markdown quote, its line breaks kept."""
    return "\n".join(f"> {_literal(line)}  " for line in text.splitlines())


def _literal(text: str) -> str:
    """Document text shown as written, not as Markdown or HTML (no links or images from a file)."""
    return re.sub(r"([\\`*_{}\[\]<>()#+!|~$])", r"\\\1", text)
