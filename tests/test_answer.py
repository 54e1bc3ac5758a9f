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


# -- comparisons: a verdict first, then a block per row (crafted profiles, their facts read as indexed) --
from careerbot.answer.compare import NOT_SAID, ROWS, compare  # noqa: E402
from careerbot.answer.rank import relation  # noqa: E402
from careerbot.chunks import chunk_profile  # noqa: E402
from careerbot.facts import facts_of  # noqa: E402
from careerbot.profiles import parse_profile  # noqa: E402

PAY, OUTLOOK, DURATION = FACETS["pay"], FACETS["outlook"], FACETS["duration"]


def crafted(title, *, pay="", growth="", level="", training="", **sections):
    """A profile's passages and facts; the job's sentences name it in lower case, as profiles do."""
    job = title.lower() + "s"
    body = {
        "Job Profile": f"{title}s plan, prepare and finish goods by hand, and keep their tools clean.",
        "Job Skills": f"Attention to detail. {title}s must measure materials precisely.",
        "Work Environment": f"Most {job} work indoors on early shifts.",
        "Estimated/Expected Salary": pay and f"The median annual wage for {job} was {pay} in May 2024.",
        "Job Outlook": growth and f"Employment of {job} is projected to {growth} from 2024 to 2034.",
        "Education & Training Level": level,
        "How to Become One": training and f"Most {job} learn through {training} after school.",
        **sections,
    }
    text = f"# {title}\n\n" + "\n\n".join(f"## {name}\n{value}" for name, value in body.items() if value)
    profile = parse_profile(text, f"{job}.md")
    passages = [
        Passage(f"{job}-{c.position}", c.occupation, c.section, c.source, c.text, 0.6, c.position)
        for c in chunk_profile(profile, 900)
    ]
    return passages, facts_of(profile)


BAKER = crafted(
    "Baker",
    pay="$40,000",
    growth="grow 2 percent",
    level="High school diploma or equivalent",
    training="a program of one year",
)
BREWER = crafted(
    "Brewer",
    pay="$51,000",
    growth="grow 9 percent",
    level="Bachelor's degree",
    training="an apprenticeship of three years",
)
TAILOR = crafted("Tailor", pay="$45,500", growth="grow 4 percent", level="Postsecondary nondegree award")
JESTER = crafted("Jester", growth="grow 1 percent", level="High school diploma or equivalent")
CHANDLER = crafted("Chandler", pay="$47,000", training="training of six months")


def compared(question, *jobs, facet=None):
    return compare(question, [p for p, _ in jobs], generator, facet=facet, facts=[f for _, f in jobs])


def verdict_of(answer):
    """The paragraph after the title: the verdict."""
    return answer.text.split("\n\n")[1]


def blocks_of(answer):
    """{row label: {occupation: the line's text after the label}}."""
    found = {}
    for block in answer.text.split("\n\n")[2:]:
        label, *lines = block.splitlines()
        found[label.strip("*")] = dict(
            re.fullmatch(r"- \*\*(.+?)\*\*: (.*)", line).groups() for line in lines
        )
    return found


def test_relation_lists_the_figures_in_the_order_it_names_the_jobs():
    (_, baker), (_, brewer) = BAKER, BREWER
    cite = ("[b]", "[B]")  # baker's marker, brewer's marker
    assert relation(baker, brewer, "pay", cite=cite) == (
        "Brewers earn more than Bakers: $51,000 [B] and $40,000 [b] a year."
    )
    assert relation(baker, brewer, "growth", cite=cite) == (
        "Employment of Brewers is projected to grow faster than that of Bakers: "
        "9 percent [B] and 2 percent [b], 2024 to 2034."
    )
    assert relation(baker, brewer, "education", cite=cite) == (
        "Brewers need more education to enter than Bakers: "
        "Bachelor's degree [B] and High school diploma or equivalent [b]."
    )
    assert relation(baker, brewer, "training", cite=cite) == (
        "The stated training of Brewers is longer than that of Bakers: "
        "an apprenticeship of three years [B] and a program of one year [b]."
    )


def test_a_pay_comparison_leads_with_its_verdict_cited_in_reading_order():
    answer = compared("do bakers earn more than brewers?", BAKER, BREWER, facet=PAY)
    assert answer.text.startswith("**Baker vs Brewer**\n\n")
    assert verdict_of(answer) == "Brewers earn more than Bakers: $51,000 [1] and $40,000 [2] a year."
    assert [(c.occupation, c.section) for c in answer.citations[:2]] == [
        ("Brewer", "Estimated/Expected Salary"),
        ("Baker", "Estimated/Expected Salary"),
    ]
    assert answer.occupations == ("Baker", "Brewer")  # as asked, whatever the verdict says first


def test_outlook_education_and_duration_lead_with_their_own_verdict():
    outlook = compared("bakers or brewers, which has a future?", BAKER, BREWER, facet=OUTLOOK)
    assert verdict_of(outlook).startswith(
        "Employment of Brewers is projected to grow faster than that of Bakers: 9 percent [1]"
    )
    become = compared("what does it take to become a baker or a brewer?", BAKER, BREWER, facet=BECOME)
    assert verdict_of(become).startswith(
        "Brewers need more education to enter than Bakers: Bachelor's degree [1]"
    )
    duration = compared("how long to become a baker or a brewer?", BAKER, BREWER, facet=DURATION)
    lead = verdict_of(duration)
    assert lead.startswith(
        "The stated training of Brewers is longer than that of Bakers: an apprenticeship of three years [1]"
    )
    assert "Brewers need more education to enter than Bakers" in lead  # then the education it takes


def test_durations_in_different_units_are_quoted_not_compared():
    answer = compared("how long does it take, baker or chandler?", BAKER, CHANDLER, facet=DURATION)
    assert verdict_of(answer).startswith(
        "Their profiles give training in different units, so it is not compared: "
        "Bakers, a program of one year [1]; Chandlers, six months of training [2]."
    )
    assert "longer" not in answer.text


def test_a_bare_comparison_leads_with_pay_then_education_and_shows_every_row():
    answer = compared("compare bakers and brewers", BAKER, BREWER)
    pay, education = verdict_of(answer).split(". ", 1)
    assert pay.startswith("Brewers earn more than Bakers")
    assert education.startswith("Brewers need more education to enter than Bakers")
    assert list(blocks_of(answer)) == ["Pay", "Education"] + [
        r.row for r in ROWS if r.row not in ("Pay", "Education")
    ]


def test_an_asked_facet_shows_its_row_then_pay_and_education():
    assert list(blocks_of(compared("bakers vs brewers outlook", BAKER, BREWER, facet=OUTLOOK))) == [
        "Outlook",
        "Pay",
        "Education",
    ]
    assert list(blocks_of(compared("baker or brewer pay", BAKER, BREWER, facet=PAY))) == ["Pay", "Education"]
    assert list(blocks_of(compared("how long, baker or brewer", BAKER, BREWER, facet=DURATION))) == [
        "Education",
        "Pay",
    ]


def test_a_missing_figure_is_said_instead_of_a_verdict():
    answer = compared("does a jester earn more than a baker?", JESTER, BAKER, facet=PAY)
    assert verdict_of(answer) == "The Jester profile states no median pay."
    assert blocks_of(answer)["Pay"]["Jester"] == NOT_SAID
    # Both stated: nothing is said missing.
    assert "states no" not in compared("baker or brewer pay", BAKER, BREWER, facet=PAY).text


def test_rows_are_blocks_narrow_enough_for_a_phone_each_sentence_quoted_from_its_passage():
    answer = compared("compare bakers and brewers", BAKER, BREWER)
    cited = {c.id: c for c in answer.citations}
    assert "|" not in answer.text
    for label, lines in blocks_of(answer).items():
        assert len(f"**{label}**") <= 60
        for occupation, line in lines.items():
            if line == NOT_SAID:
                continue
            sentence, n = re.fullmatch(r"(.+) \[(\d+)\]", line).groups()
            assert sentence in cited[int(n)].text and cited[int(n)].occupation == occupation
            assert len(f"- **{occupation}**:  [{n}]") <= 60  # the markup around the quoted sentence


def test_three_jobs_are_ranked_and_each_cited_for_the_facet_asked():
    answer = compared("baker, brewer or tailor: who earns most?", BAKER, BREWER, TAILOR, facet=PAY)
    assert answer.occupations == ("Baker", "Brewer", "Tailor")
    assert verdict_of(answer) == (
        "Ranked by median pay, highest first: Brewers, $51,000 a year [1]; Tailors, $45,500 a year [2]; "
        "Bakers, $40,000 a year [3]."
    )
    pay_cited = {c.occupation for c in answer.citations if "salary" in c.section.lower()}
    assert pay_cited == {"Baker", "Brewer", "Tailor"}
    assert set(blocks_of(answer)["Pay"]) == {"Baker", "Brewer", "Tailor"}
    # One without a figure: the others are still ranked, and the missing one is named.
    lead = verdict_of(compared("jester, baker or brewer pay", JESTER, BAKER, BREWER, facet=PAY))
    ranked = "Brewers earn more than Bakers: $51,000 [1] and $40,000 [2] a year."
    assert lead == f"{ranked} The Jester profile states no median pay."
