"""The `careerbot` command: a thin shell over the CareerBot API."""

from __future__ import annotations

import hashlib
import json
import logging
import sys
import tempfile
from collections.abc import Callable
from dataclasses import asdict
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from careerbot.bot import CareerBot
from careerbot.errors import CareerBotError
from careerbot.settings import Settings

if TYPE_CHECKING:
    from careerbot.answer import Answer

__all__ = ["cli"]


def _bot_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--corpus, --store and --chroma-url on every command; they build the CareerBot passed in as `bot`."""

    @click.option("--corpus", type=click.Path(file_okay=False), help="Folder of profiles.")
    @click.option("--store", type=click.Path(file_okay=False), help="Folder for the index.")
    @click.option("--chroma-url", help="A Chroma server (http://host:port) instead of the local store.")
    @wraps(command)
    def wrapper(corpus: str | None, store: str | None, chroma_url: str | None, **kwargs: Any) -> Any:
        try:
            return command(CareerBot(corpus=corpus, store=store, chroma_url=chroma_url), **kwargs)
        except CareerBotError as error:
            raise click.ClickException(str(error)) from None

    return wrapper


@click.group()
@click.version_option(package_name="careerbot")
def cli() -> None:
    """Career answers from occupation profiles, every statement cited."""
    # "index is being updated by process N, waiting..." goes to stderr as it happens.
    waiting = logging.getLogger("careerbot.index.lock")
    if not any(isinstance(handler, _Echo) for handler in waiting.handlers):
        waiting.addHandler(_Echo())


class _Echo(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        click.echo(self.format(record), err=True)


@cli.command()
@_bot_options
@click.option("--rebuild", is_flag=True, help="Drop the index and embed everything again.")
def index(bot: CareerBot, rebuild: bool) -> None:
    """Index the corpus: new and edited documents are embedded, removed ones dropped."""
    report = bot.index(rebuild=rebuild)
    click.echo(report.summary())


@cli.command()
@_bot_options
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--force", is_flag=True, help="Replace a different file of the same name.")
def add(bot: CareerBot, files: tuple[str, ...], force: bool) -> None:
    """Copy FILES into the corpus and index them."""
    click.echo(bot.add(files, force=force).summary())


@cli.command("import-onet")
@_bot_options
@click.argument("release", type=click.Path(exists=True))
@click.option("--out", type=click.Path(file_okay=False), help="Folder for the profiles [default: corpus].")
def import_onet(bot: CareerBot, release: str, out: str | None) -> None:
    """Write one profile per occupation of the O*NET text release RELEASE (its folder, its zip, or
    Occupation Data.txt); files that already exist with other content are reported and kept."""
    report = bot.import_onet(release, out=out)
    click.echo(report.summary())
    if report.written:
        click.echo(f"Index them with: careerbot index --corpus {out or bot.settings.corpus}")


@cli.command()
@_bot_options
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="Print the answer and citations as JSON.")
def ask(bot: CareerBot, question: str, as_json: bool) -> None:
    """Answer one QUESTION with citations."""
    answer = bot.ask(question)
    if as_json:
        click.echo(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
    else:
        _print_answer(answer)


@cli.command()
@_bot_options
def chat(bot: CareerBot) -> None:
    """Talk with careerbot in the terminal (an empty line or Ctrl-D ends it)."""
    click.echo("Ask about an occupation, e.g. 'How do I become a plant manager?'.")
    conversation = bot.chat()
    while True:
        try:
            question = click.prompt("you", prompt_suffix="> ", default="", show_default=False)
        except (EOFError, click.Abort):
            break
        if question.strip().lower() in {"", "exit", "quit", "bye"}:
            break
        try:
            click.echo()
            _print_answer(conversation.ask(question))
            click.echo()
        except CareerBotError as error:  # e.g. the Chroma server is down: say so, keep the conversation
            click.echo(f"\nError: {error}\n", err=True)


@cli.command()
@_bot_options
@click.argument("occupation", required=False)
@click.option("--sort", type=click.Choice(["pay", "growth"]), help="Highest median pay or growth first.")
@click.option("--json", "as_json", is_flag=True, help="Print the facts, with their sentences, as JSON.")
def facts(bot: CareerBot, occupation: str | None, sort: str | None, as_json: bool) -> None:
    """Show the figures the profiles state: median pay, projected growth, entry education, training.

    With OCCUPATION (a title, alias or file name), that profile's facts and the sentences they come
    from. Reads the index only, no model: run `careerbot index` first.
    """
    if not bot.documents():
        raise click.ClickException(f"no index in {bot.settings.store} yet: run `careerbot index` first")
    if occupation:
        found = bot.facts(occupation)
        if found is None:
            raise click.ClickException(
                f"no indexed profile is called {occupation!r}; `careerbot facts` lists them"
            )
        rows = [found]
    else:
        rows = bot.facts()
    if sort:
        rows = sorted(rows, key=lambda f: _sort_key(f, sort))
    if as_json:
        data = [f.to_dict() for f in rows]
        click.echo(json.dumps(data[0] if occupation else data, ensure_ascii=False, indent=2))
    elif occupation:
        click.echo(_facts_detail(rows[0]))
    else:
        click.echo(_facts_table(rows))
    unread = len(bot.documents()) - len(bot.facts())
    if unread:
        click.echo(f"{unread} documents were indexed before facts were read: run `careerbot index`", err=True)


def _sort_key(facts: Any, measure: str) -> tuple[bool, float]:
    value = facts.median_annual_pay if measure == "pay" else facts.growth_percent
    return (value is None, -(value or 0))


def _pay_text(facts: Any) -> str:
    pay = facts.pay
    return f"{pay.text} {'an hour' if pay.per == 'hour' else 'a year'}" if pay else "—"


def _growth_text(facts: Any) -> str:
    growth = facts.growth
    if growth is None:
        return "—"
    figure = [f"{growth.percent:+g}%"] if growth.percent is not None else []
    details = ", ".join(figure + ([growth.period] if growth.period else []))
    return f"{growth.words} ({details})" if details else growth.words


def _facts_table(rows: list[Any]) -> str:
    lines = ["occupation | median pay | projected growth | entry education | training"]
    for f in rows:
        training = f"{f.training.kind}, {f.training.words}" if f.training else "—"
        lines.append(
            f"{f.occupation} | {_pay_text(f)} | {_growth_text(f)} | {f.entry_education or '—'} | {training}"
        )
    return "\n".join(lines)


def _facts_detail(facts: Any) -> str:
    lines = [f"{facts.occupation} ({facts.source})"]
    shown = {
        "pay": _pay_text(facts),
        "growth": _growth_text(facts),
        "education": f"{facts.entry_education} ({facts.education.words})" if facts.education else "—",
        "training": f"{facts.training.kind}, {facts.training.words}" if facts.training else "—",
    }
    for name, value in shown.items():
        lines.append(f"{name}: {value}")
        evidence = facts.citations.get(name)
        if evidence:
            lines.append(f'  "{evidence.sentence}" ({evidence.section})')
    if facts.licences:
        lines.append("licences and certifications: " + "; ".join(lic.name for lic in facts.licences))
    return "\n".join(lines)


@cli.command()
@_bot_options
def status(bot: CareerBot) -> None:
    """Show what the index holds."""
    for key, value in asdict(bot.status()).items():
        click.echo(f"{key}: {value}")


@cli.command()
@_bot_options
@click.option("--repair", is_flag=True, help="Fix what is out of step, re-embedding only that.")
def doctor(bot: CareerBot, repair: bool) -> None:
    """Check that the index agrees with itself: records and vectors, model and dimension, manifest,
    search files. Exits with 1 when it doesn't, unless --repair fixed it."""
    checkup = bot.doctor()
    click.echo(checkup.summary())
    if checkup.healthy:
        return
    if not repair:
        raise click.ClickException("run `careerbot doctor --repair` to fix it")
    click.echo(bot.index().summary())
    bot.embedder.embeddings.embed_query("warm-up")  # loads the model: a damaged export is made again
    after = bot.doctor()
    click.echo(after.summary())
    if not after.healthy:
        raise click.ClickException("the index is still not healthy; `careerbot index --rebuild` starts over")


@cli.command()
@_bot_options
@click.option("--host", help="Address to listen on  [default: 127.0.0.1, or CAREERBOT_HOST]")
@click.option("--port", type=int, help="Port  [default: 7860, or CAREERBOT_PORT]")
@click.option("--mcp", is_flag=True, help="Also serve ask and status as MCP tools  [or CAREERBOT_MCP=1]")
def serve(bot: CareerBot, host: str | None, port: int | None, mcp: bool) -> None:
    """Start the web app. It also serves an OpenAI-compatible API at /v1 (/v1/models,
    /v1/chat/completions; the model is "careerbot"), so chat UIs and the openai client can use it:
    base URL http://HOST:PORT/v1, API key CAREERBOT_PASSWORD (any key when no login is set)."""
    from careerbot.web import launch

    launch(bot, host=host, port=port, mcp=mcp or None)  # None: the mcp setting decides


@cli.command(name="eval")
@click.argument("questions", type=click.Path(exists=True, dir_okay=False))
@click.option("--corpus", type=click.Path(exists=True, file_okay=False), help="Folder of profiles.")
@click.option("--store", type=click.Path(file_okay=False), help="Folder for the index.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures (and each question's) as JSON.")
@click.option(
    "--answers", is_flag=True, help="Also ask each question: is the answer or an alternative right?"
)
def eval_command(questions: str, corpus: str | None, store: str | None, as_json: bool, answers: bool) -> None:
    """Measure retrieval on QUESTIONS (JSON lines): occupation hit@1, hit@5, MRR@10, section, latency.
    A file of dialogs ("turns") is asked turn by turn instead and scored per kind of question.

    With --corpus and no --store, the index lives in the system temp folder (one per corpus), so
    evaluating another corpus never touches the project's own index.
    """
    from careerbot.evaluation import evaluate, evaluate_dialogs, is_dialog_file, load_questions

    if corpus and not store:
        store = str(eval_store(Path(corpus), Settings().embedder))
    try:
        bot = CareerBot(corpus=corpus, store=store)
        dialogs = is_dialog_file(questions)
        items = [] if dialogs else load_questions(questions)
        indexed = bot.index()
        report = evaluate_dialogs(bot, questions) if dialogs else evaluate(bot, items, answers=answers)
    except (CareerBotError, ValueError) as error:
        raise click.ClickException(str(error)) from None
    if dialogs and not as_json:
        click.echo(f"{indexed.documents} profiles in {bot.settings.corpus}, index in {bot.settings.store}")
        click.echo("\n".join(["failed turns:", *report.failures]) if report.failures else "no failed turns")
        click.echo(report.table())
        return
    if dialogs:
        click.echo(json.dumps(report.to_dict(), indent=2))
        return
    if as_json:
        data = {"corpus": str(bot.settings.corpus), "store": str(bot.settings.store)}
        click.echo(json.dumps({**data, **report.to_dict(with_results=True)}, indent=2, default=str))
    else:
        click.echo(f"{indexed.documents} profiles in {bot.settings.corpus}, index in {bot.settings.store}")
        click.echo(report.table())


def eval_store(corpus: Path, embedder: str) -> Path:
    """A store folder of its own for `corpus` and embedder, in the system temp folder."""
    resolved = corpus.resolve()
    digest = hashlib.sha256(f"{resolved}\n{embedder}".encode()).hexdigest()[:10]
    return Path(tempfile.gettempdir()) / "careerbot-eval" / f"{resolved.name}-{digest}"


def _print_answer(answer: Answer) -> None:
    """The answer's Markdown rendered for the terminal (bold, lists, tables), then its sources; plain
    text, without styles, when the output is a pipe or a file."""
    from rich.console import Console
    from rich.markdown import Markdown

    stream = sys.stdout
    terminal = stream.isatty()
    # Piped: no escape codes, and lines as wide as a long quoted sentence rather than an 80-column guess.
    console = Console(file=stream, highlight=False, width=None if terminal else 110)
    with console.capture() as captured:
        console.print(Markdown(answer.text, hyperlinks=False))
        if answer.alternatives:
            console.print(f"\nDid you mean: {', '.join(answer.alternatives)}?", markup=False)
        if answer.situation:
            console.print(f"\nYour situation: {', '.join(answer.situation)}", markup=False)
        if answer.citations:
            console.print("\nSources:", style="bold")
            for c in answer.citations:
                console.print(f"[{c.id}] {c.occupation} — {c.section} ({c.source})", markup=False)
    # rich pads each line to the full width; the padding is noise in a file or a terminal copy.
    click.echo("\n".join(line.rstrip() for line in captured.get().splitlines()), color=terminal or None)
