"""The extractive answerer, on hand-made passages (no index needed)."""

import re

from careerbot.answer import ExtractiveGenerator
from careerbot.chunks import split_sentences
from careerbot.retrieval import Passage
from careerbot.understanding import FACETS

BECOME = FACETS["become"]

EDUCATION = Passage(
    "c1",
    "Industrial Production Manager",
    "Education & Training Level Description",
    "ipm.txt",
    "Employers prefer that industrial production managers have at least a bachelor’s degree. "
    "Some production workers with many years of experience take management classes.",
    0.6,
    aliases=("plant managers",),
)
PATH_UP = Passage(
    "c2",
    "Industrial Production Manager",
    "Job Skills",
    "ipm.txt",
    "Many industrial production managers begin as production workers and move up through the "
    "ranks. They usually advance to a first-line supervisory position first.",
    0.55,
    aliases=("plant managers",),
)
DUTIES = Passage(
    "c3",
    "Industrial Production Manager",
    "Job Profile",
    "ipm.txt",
    "Plant managers split their time between the production area and a nearby office.",
    0.58,
    aliases=("plant managers",),
)
OTHER = Passage("c4", "Logistician", "Brief job description", "log.txt", "Logisticians move goods.", 0.5)

generator = ExtractiveGenerator(max_sentences=6, min_relevance=0.3)


def sentences_of(text):
    """Answer sentences with the [n] marker of their run, headings and field labels left out."""
    body = "\n".join(re.sub(r"^\*\*[^*]+:\*\* ", "", line) for line in text.splitlines())
    body = "\n".join(line for line in body.splitlines() if not line.startswith("**"))
    return [
        (sentence, n)
        for run, n in re.findall(r"([^\[\]]+?) \[(\d+)\]", body)
        for sentence in split_sentences(run.strip())
    ]


def test_every_sentence_is_quoted_from_its_cited_passage():
    answer = generator.answer(
        "How do I become a plant manager?", [DUTIES, EDUCATION, PATH_UP, OTHER], facet=BECOME
    )
    cited = {c.id: c for c in answer.citations}
    pairs = sentences_of(answer.text)
    assert pairs
    for sentence, n in pairs:
        assert sentence.strip() in cited[int(n)].text


def test_becoming_answer_puts_education_before_the_path_up():
    answer = generator.answer("How do I become a plant manager?", [DUTIES, PATH_UP, EDUCATION], facet=BECOME)
    assert [c.section for c in answer.citations] == ["Education & Training Level Description", "Job Skills"]
    assert answer.text.index("bachelor’s degree") < answer.text.index("first-line supervisory")
    assert answer.occupations == ("Industrial Production Manager",)


def test_a_sentence_starting_with_they_brings_the_one_before():
    answer = generator.answer("How do I become a plant manager?", [PATH_UP, EDUCATION], facet=BECOME)
    assert "begin as production workers" in answer.text


def test_nothing_relevant_says_so_and_cites_nothing():
    weak = Passage("c9", "Logistician", "Job Profile", "log.txt", "Logisticians move goods.", 0.1)
    answer = generator.answer("What is the capital of France?", [weak], occupations=["Logistician"])
    assert answer.citations == ()
    assert "couldn't find" in answer.text
    assert "Logistician" in answer.text


def test_question_about_a_job_not_in_the_profiles_is_not_answered_with_another():
    answer = generator.answer("What does a nurse earn?", [EDUCATION, PATH_UP], occupations=["X"])
    assert answer.citations == ()


def test_one_marker_per_run_and_field_values_as_labelled_lines():
    level = Passage(
        "c5",
        "Industrial Production Manager",
        "Education & Training Level",
        "ipm.txt",
        "Bachelor's degree in engineering or business",
        0.6,
    )
    answer = generator.answer("How do I become a plant manager?", [EDUCATION, PATH_UP, level], facet=BECOME)
    paragraphs = answer.text.split("\n\n")[1:]
    assert all(p.count("[") == 1 and p.endswith("]") for p in paragraphs)
    assert "**Education & Training Level:** Bachelor's degree in engineering or business [" in answer.text
