"""Typed settings: defaults, overridden by keyword arguments or CAREERBOT_* environment variables."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_cache_dir
from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings"]


class Settings(BaseSettings):
    """Everything a CareerBot needs to know; one instance per bot, never a global."""

    model_config = SettingsConfigDict(env_prefix="CAREERBOT_", extra="forbid")

    corpus: Path = Path("corpus")
    store: Path = Path("vectorstore")
    collection: str = "careerbot"

    # Backends, chosen by name (see the registries in embedder.py, store.py, generator.py).
    embedder: str = "onnx"
    # A local sentence-transformers directory; None means the bundled all-MiniLM-L6-v2.
    model_path: str | None = None
    # Where the onnx embedders keep their export of the model (made once per machine and model).
    model_cache: Path = Field(default_factory=lambda: Path(user_cache_dir("careerbot")) / "models")
    store_backend: str = "chroma"
    # A Chroma server (`chroma run`), e.g. http://127.0.0.1:8000: selects store_backend "chroma-server".
    chroma_url: str | None = None
    # Seconds to wait for one answer from the Chroma server before reporting it unreachable.
    chroma_timeout: float = Field(default=30.0, gt=0)
    # Where the record manager lives (any SQLAlchemy URL); None: records.sqlite in the store folder.
    records_url: str | None = None
    # Seconds a write (index, add, repair) waits for another process's write to finish.
    lock_timeout: float = Field(default=600.0, ge=0)
    generator: str = "extractive"

    # Chunking: sections longer than this are split on sentence boundaries.
    chunk_chars: int = Field(default=900, ge=200)
    # Documents larger than this are reported and skipped.
    max_document_bytes: int = Field(default=5_000_000, ge=1_000)
    # Bounded work per document, whatever its format (each a problem line for that file when over):
    # its expanded size (the XML inside a .docx, the text of a PDF or HTML page, in bytes),
    max_expanded_bytes: int = Field(default=5_000_000, ge=1_000)
    # its sections and chunks (a real profile has about 15), its alternate titles (a real one has at most
    # about 12), and the seconds reading, chunking and reading the facts of it may take.
    max_sections: int = Field(default=200, ge=1)
    max_aliases: int = Field(default=50, ge=0)
    max_chunks: int = Field(default=300, ge=1)
    document_seconds: float = Field(default=30.0, gt=0)

    # Retrieval and answering.
    top_k: int = Field(default=8, ge=1, le=100)
    # Below this cosine similarity nothing counts as relevant.
    min_relevance: float = 0.30
    max_answer_sentences: int = Field(default=6, ge=1)

    # Optional LLM answerers (generator = openai | ollama | llamacpp).
    llm_model: str | None = None  # model name; for llamacpp, the path of a GGUF file
    llm_base_url: str | None = None  # e.g. http://127.0.0.1:8000/v1 or http://127.0.0.1:11434
    llm_api_key: str | None = None  # falls back to OPENAI_API_KEY for the openai backend
    llm_timeout: float = Field(default=30.0, gt=0)

    # The web app: where it listens, and an optional login (both or neither).
    host: str = "127.0.0.1"
    port: int = Field(default=7860, ge=0, le=65535)
    username: str | None = None
    password: SecretStr | None = None
    # Also serve /ask and /status as MCP tools (`careerbot serve --mcp`).
    mcp: bool = False
    # Seconds a failed login makes the next attempt wait, doubling with each failure in a row
    # (at most a minute); 0 turns the slowdown off.
    login_delay: float = Field(default=1.0, ge=0)

    @model_validator(mode="after")
    def _server_mode(self) -> Settings:
        """A Chroma URL means the server backend, unless another backend was named."""
        if self.chroma_url and self.store_backend == "chroma":
            self.store_backend = "chroma-server"
        return self
