"""Answers: cited text built from retrieved passages."""

from careerbot.answer.answer import Answer, Citation
from careerbot.answer.extractive import ExtractiveGenerator
from careerbot.answer.generator import GENERATORS, Generator, make_generator

__all__ = ["GENERATORS", "Answer", "Citation", "ExtractiveGenerator", "Generator", "make_generator"]
