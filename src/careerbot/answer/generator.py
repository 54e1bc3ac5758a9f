"""The generator seam: anything that turns a question and passages into a cited Answer."""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol

from careerbot.answer.answer import Answer
from careerbot.answer.extractive import ExtractiveGenerator
from careerbot.errors import CareerBotError, UnknownBackendError
from careerbot.retrieval import Passage
from careerbot.settings import Settings
from careerbot.understanding.language import Facet

__all__ = ["GENERATORS", "Generator", "make_generator"]


class Generator(Protocol):
    name: str

    def answer(
        self,
        question: str,
        passages: Sequence[Passage],
        *,
        occupations: Sequence[str] = (),
        focus: str | None = None,
        facet: Facet | None = None,
    ) -> Answer:
        """Answer `question` from `passages` only, citing them. `occupations` are all the known
        ones; `focus`, when given, is the occupation a conversation is about; `facet`, what the
        question asks about it."""
        ...

    def stream(
        self,
        question: str,
        passages: Sequence[Passage],
        *,
        occupations: Sequence[str] = (),
        focus: str | None = None,
        facet: Facet | None = None,
    ) -> Iterator[str | Answer]:
        """The answer's text in pieces as it is produced, then the finished Answer."""
        ...


def _extractive(settings: Settings) -> ExtractiveGenerator:
    return ExtractiveGenerator(
        max_sentences=settings.max_answer_sentences, min_relevance=settings.min_relevance
    )


def _llm(name: str, model: Any, settings: Settings) -> Generator:
    # Imported here: LangChain's chat-model modules cost half a second the extractive default never needs.
    from careerbot.answer.llm import LLMGenerator

    return LLMGenerator(name, model, _extractive(settings))


def _openai(settings: Settings) -> Generator:
    ChatOpenAI = _optional("langchain_openai", "ChatOpenAI", extra="openai")
    model = ChatOpenAI(
        model=settings.llm_model or "gpt-4o-mini",
        base_url=settings.llm_base_url,
        # Local OpenAI-compatible servers take any key; hosted ones read OPENAI_API_KEY.
        api_key=settings.llm_api_key or os.environ.get("OPENAI_API_KEY") or "not-needed",
        timeout=settings.llm_timeout,
        max_retries=0,
        temperature=0,
    )
    return _llm("openai", model, settings)


def _ollama(settings: Settings) -> Generator:
    ChatOllama = _optional("langchain_ollama", "ChatOllama", extra="ollama")
    model = ChatOllama(
        model=settings.llm_model or "llama3.2",
        base_url=settings.llm_base_url,
        temperature=0,
        client_kwargs={"timeout": settings.llm_timeout},
    )
    return _llm("ollama", model, settings)


def _llamacpp(settings: Settings) -> Generator:
    ChatLlamaCpp = _optional("langchain_community.chat_models", "ChatLlamaCpp", extra="llamacpp")
    _optional("llama_cpp", "Llama", extra="llamacpp")
    if not settings.llm_model:
        raise CareerBotError("the llamacpp generator needs CAREERBOT_LLM_MODEL=/path/to/model.gguf")
    model = ChatLlamaCpp(model_path=settings.llm_model, temperature=0, verbose=False)
    return _llm("llamacpp", model, settings)


GENERATORS: dict[str, Callable[[Settings], Generator]] = {
    "extractive": _extractive,
    "openai": _openai,
    "ollama": _ollama,
    "llamacpp": _llamacpp,
}


def _optional(module: str, name: str, *, extra: str) -> Any:
    """Import an optional backend, or say which pip install brings it."""
    try:
        return getattr(importlib.import_module(module), name)
    except ImportError:
        raise CareerBotError(
            f"the {extra} generator needs an optional extra: pip install 'careerbot[{extra}]'"
        ) from None


def make_generator(settings: Settings) -> Generator:
    """The generator named by `settings.generator`."""
    try:
        factory = GENERATORS[settings.generator]
    except KeyError:
        raise UnknownBackendError("generator", settings.generator, GENERATORS) from None
    return factory(settings)
