"""Chunks: profile sections cut to the size the embedder reads well."""

from careerbot.chunks.chunking import Chunk, chunk_profile, split_sentences

__all__ = ["Chunk", "chunk_profile", "split_sentences"]
