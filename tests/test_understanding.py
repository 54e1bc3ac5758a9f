"""Understanding: the language table, job phrases, mentions and the reader.

Fast tests use the hash embedder (cue words and shared words carry them); the dialog tests use
the real model on the bundled corpus. Every example here is our own wording.
"""

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from careerbot import CareerBot
from careerbot.cli import cli
from careerbot.understanding import FACETS, LANGUAGE, DialogState, job_phrase
from careerbot.understanding.mentions import NameForms
from careerbot.understanding.phrases import masked, tokens, topic

DIALOGS = Path(__file__).with_name("dialogs.jsonl")

RN = """Position Title | Registered Nurse |
---|---|
Alternate Title(s) | Staff Nurse, Charge Nurse |
Brief job description | Registered nurses (RNs) care for patients and give medications. |
Estimated/Expected Salary | The median annual wage for registered nurses was $86,070 in May 2023. |
Work Environment | Many RNs work nights and weekends in hospitals. |
"""
LPN = """Position Title | Licensed Practical Nurse |
---|---|
Alternate Title(s) | Licensed Vocational Nurse, LVN |
Brief job description | Licensed practical nurses give basic care under the direction of RNs. |
Estimated/Expected Salary | The median annual wage for licensed practical nurses was $59,730 in May 2023. |
"""
DRIVER = """Position Title | Heavy and Tractor-Trailer Truck Driver |
---|---|
Alternate Title(s) | Over-the-Road Driver, Long-Haul Truck Driver |
Brief job description | Truck drivers haul goods over long distances. |
"""


@pytest.fixture
def small_bot(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in {"rn.txt": RN, "lpn.txt": LPN, "driver.txt": DRIVER}.items():
        (corpus / name).write_text(text, encoding="utf-8")
    bot = CareerBot(corpus=corpus, store=tmp_path / "store", embedder="hash")
    bot.index()
    return bot


# -- the table --------------------------------------------------------------------------------
def test_every_facet_has_examples_sections_and_cues():
    for facet in FACETS.values():
        assert len(facet.examples) >= 5 and facet.sections and facet.cues, facet.name
    assert {"become", "duration", "pay", "duties", "skills", "environment", "outlook", "related"} <= set(
        FACETS
    )
    assert {"explore", "rank", "compare", "greeting", "offtopic"} <= set(LANGUAGE.kinds)


def test_facets_map_to_the_profile_sections_they_answer():
    assert FACETS["pay"].section_rank("Estimated/Expected Salary") == 0
    assert FACETS["become"].section_rank("Education & Training Level Description") == 0
    assert FACETS["environment"].section_rank("Work Environment") == 0
    assert FACETS["related"].section_rank("Related Occupations") == 0
    assert FACETS["pay"].section_rank("Job Outlook") is None


# -- job phrases ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("question", "phrase"),
    [
        ("How do I become a plant manager?", "plant manager"),
        ("What does a social worker do?", "social worker"),
        ("I want to work as a computer repair guy. What education do I need?", "computer repair guy"),
        ("What does a special education teacher earn?", "special education teacher"),
        ("career counselor", "career counselor"),
        ("What are the working conditions for an electrician?", "electrician"),
        ("how dangerous is it to be a roofer", "roofer"),
        ("do u need a license to be a travel agent", "travel agent"),
        ("what does a loan officer do in an office", "loan officer"),  # officer is not office
        ("im 19 and wanna be a welder, where do i start", "welder"),  # chat spelling, an age
        ("I'm 30 and thinking of becoming a chef", "chef"),
        ("really into cars what jobs could i get", "cars"),  # a question word opens a clause
        ("What skills do I need?", ""),
    ],
)
def test_job_phrase_strips_the_framing_and_keeps_the_title(question, phrase):
    assert job_phrase(question) == phrase


def test_masking_replaces_each_job_with_a_letter():
    question = "Do welders earn more than machinists?"
    spans = [(m.start(), m.end()) for m in re.finditer(r"welders|machinists", question)]
    assert masked(question, spans) == "Do X earn more than Y?"


def test_topic_keeps_the_interest_and_drops_the_framing():
    assert topic("Are there careers for someone who loves gardening?", facets=True) == "gardening"
    assert topic("Which office job pays the most?", facets=False) == "office"
    # What is not wanted is no interest, up to the end of its clause or a "but".
    assert topic("I love animals, I'd hate sitting in an office", facets=True) == "animals"
    assert topic("nothing indoors but something with boats", facets=True) == "boats"
    assert topic("highest paying IT job", facets=False) == "IT"  # initials, not "it"


# -- names, aliases, initials -------------------------------------------------------------------
def test_names_are_found_as_written_plural_initials_and_hyphen_free(small_bot):
    forms = NameForms(small_bot.retriever.search)
    search = small_bot.retriever.search

    def found(question):
        words = [t for t in tokens(question) if not t.is_break]
        return [{search.occupations[o] for o in owners} for _, _, owners, _ in forms.find(words)]

    assert found("do staff nurses work weekends") == [{"Registered Nurse"}]
    assert found("LVNs or RNs?") == [{"Licensed Practical Nurse"}, {"Registered Nurse"}]
    assert found("what do OTR drivers haul") == [{"Heavy and Tractor-Trailer Truck Driver"}]
    assert found("an over the road driver") == [{"Heavy and Tractor-Trailer Truck Driver"}]
    # Lower-case initials count only where the profile writes them itself ("RNs" in the RN profile).
    assert found("how do i become an rn") == [{"Registered Nurse"}]
    assert found("lvn pay") == [{"Licensed Practical Nurse"}]  # an alias, whatever its case
    assert found("lpn pay") == []  # initials the profile never writes: only in capitals
    assert found("LPN pay") == [{"Licensed Practical Nurse"}]
    assert found("the htttd") == []
    # Initials with another head are no name, but they are read by meaning spelt out.
    assert found("OTR truckers") == []
    assert forms.spell_out("OTR truckers") == "over the road truckers"
    assert forms.spell_out("an LPN in a clinic") == "an licensed practical nurse in a clinic"
    assert forms.spell_out("otr truckers") == "otr truckers"  # in capitals only


# -- the reader, with the hash embedder ---------------------------------------------------------
def test_reader_tells_one_job_two_jobs_and_what_is_asked(small_bot):
    reader = small_bot.reader
    single = reader.read("What is the median annual wage of an LVN?")
    assert single.kind == "single" and [m.occupation for m in single.mentions] == ["Licensed Practical Nurse"]
    pair = reader.read("Do RNs earn more than LPNs?")
    assert pair.kind == "compare"
    assert [m.occupation for m in pair.mentions] == ["Registered Nurse", "Licensed Practical Nurse"]


def test_ordinals_pick_from_the_last_list(small_bot):
    reader = small_bot.reader
    pair = reader.read("compare RN and LPN")
    state = DialogState().after(pair, pair.occupations)
    second = reader.read("tell me more about the second one", state)
    assert second.kind == "single" and second.occupations == pair.occupations[1:]
    # Places as numbers too, and only among what was listed.
    assert reader.read("ok, the 2nd", state).occupations == pair.occupations[1:]
    assert reader.read("what about the 1st one?", state).occupations == pair.occupations[:1]
    trio = reader.read("compare RN, LPN and truck drivers")
    state = DialogState().after(trio, trio.occupations)
    assert reader.read("tell me about the third one", state).occupations == trio.occupations[2:]
    assert reader.read("#2 looks good", state).occupations == trio.occupations[1:2]
    assert reader.read("more on the top one please", state).occupations == trio.occupations[:1]


def test_empty_and_punctuation_only_questions(small_bot):
    assert small_bot.reader.read("").kind == "empty"
    assert small_bot.reader.read("?!").kind == "empty"


# -- dialogs with the real model ------------------------------------------------------------------
LINE = "Electrical Power-Line Installer and Repairer"


def _turns(bot, questions):
    conversation = bot.chat()
    return [conversation.ask(q) for q in questions]


@pytest.mark.model
@pytest.mark.parametrize(
    ("question", "occupation", "section"),
    [
        ("what kind of paycheck do firemen bring home", "Firefighter", "Estimated/Expected Salary"),
        ("how many years of school to be an RN", "Registered Nurse", None),
        (
            "is it risky being a lineworker",
            "Electrical Power-Line Installer and Repairer",
            "Work Environment",
        ),
        ("what should I study to work as a programmer", "Software Developer", None),
        ("chefs, do they work holidays?", "Chef", "Work Environment"),
        ("what are my prospects as a CNC machinist", "Machinist", "Job Outlook"),
        ("which jobs are similar to a paramedic", "Paramedic", "Related Occupations"),
        ("do roofers and framers get hurt on the job much", "Carpenter", "Work Environment"),
        (
            "OTR truckers, what do they earn?",
            "Heavy and Tractor-Trailer Truck Driver",
            "Estimated/Expected Salary",
        ),
        ("im 16 and wanna be a welder, where should i start", "Welder", None),
        ("is being a dental hygienist mostly part time?", "Dental Hygienist", "Work Environment"),
        # What follows the job's kernel is what is asked: "going away", "long term".
        ("are welding jobs going away because of robots", "Welder", "Job Outlook"),
        ("is plumbing still a good career long term", "Plumber", "Job Outlook"),
    ],
)
def test_one_job_by_colloquial_name_or_initials_answers_what_is_asked(
    bundled_bot, question, occupation, section
):
    answer = bundled_bot.ask(question)
    assert answer.occupations[:1] == (occupation,), question
    if section:
        assert answer.citations[0].section == section, question
    else:  # becoming one: education or how to become
        assert re.search(r"education|how to become|training", answer.citations[0].section, re.I)


@pytest.mark.model
@pytest.mark.parametrize(
    "question",
    [
        "Do electricians make more money than plumbers?",
        "welder or machinist, which one should I pick?",
        "how is a pharmacist different from a pharmacy... I mean from a medical assistant",
        "torn between plumbing school and an electrician apprenticeship",
    ],
)
def test_two_jobs_in_any_phrasing_are_compared(bundled_bot, question):
    answer = bundled_bot.ask(question)
    assert len(answer.occupations) == 2, question
    assert {c.occupation for c in answer.citations} == set(answer.occupations)


@pytest.mark.model
def test_a_comparison_leads_with_the_facet_asked(bundled_bot):
    answer = bundled_bot.ask("Do electricians make more money than plumbers?")
    verdict, first_row = answer.text.split("\n\n")[1:3]
    assert verdict.startswith("Electricians and Plumbers earn about the same: $61,590 [1] and $61,550 [2]")
    assert first_row.startswith("**Pay**\n")


@pytest.mark.model
def test_interests_list_several_fitting_jobs_each_cited(bundled_bot):
    answer = bundled_bot.ask("are there careers for someone who loves animals and the land?")
    assert len(answer.occupations) >= 2 and "Farmer" in answer.occupations
    assert {c.occupation for c in answer.citations} == set(answer.occupations)


@pytest.mark.model
def test_follow_ups_carry_the_occupation_and_the_facet(bundled_bot):
    first, carried, compared, long, offtopic = _turns(
        bundled_bot,
        [
            "What does an electrician earn?",
            "and plumbers?",
            "so who gets paid better?",
            "how long is the training?",
            "what's the capital of Italy",
        ],
    )
    assert first.citations[0].section == "Estimated/Expected Salary"
    assert carried.occupations == ("Plumber",) and carried.citations[0].section == "Estimated/Expected Salary"
    assert set(compared.occupations) == {"Electrician", "Plumber"}
    # A comparison of how long: led by the sentences stating each training (education or experience rows).
    assert long.occupations == ("Electrician", "Plumber")
    lead = long.citations[0].section
    assert long.citations and re.search(r"education|how to become|training|experience", lead, re.I)
    assert offtopic.citations == () and offtopic.occupations == ()


@pytest.mark.model
def test_ambiguous_or_unknown_jobs_offer_alternatives(bundled_bot):
    ambiguous = bundled_bot.ask("what does a teacher do all day?")
    assert ambiguous.occupations[0] in {"High School Teacher", "Elementary School Teacher"}
    assert set(ambiguous.alternatives) & {"High School Teacher", "Elementary School Teacher"}
    clear = bundled_bot.ask("What does a welder do?")
    assert clear.alternatives == ()
    # A job we have no profile for: the closest one answers, and says so; others are offered.
    unknown = bundled_bot.ask("How do I become a lawyer?")
    assert unknown.text.startswith("I have no profile for “lawyer”; the closest I have is ")
    assert unknown.alternatives and unknown.occupations[0] not in unknown.alternatives


@pytest.mark.model
@pytest.mark.parametrize(
    "question",
    [
        "What does a lamplighter do all day?",
        "I'd like to work as a falconer; which qualifications would I need?",
        "how do you become an ice sculptor",
    ],
)
def test_an_unfamiliar_title_in_a_jobs_frame_is_a_job(bundled_bot, question):
    # Far from every name we have, yet one person in words that ask about a job: never a search by
    # interest or "not a career question".
    answer = bundled_bot.ask(question)
    assert answer.text.startswith("I have no profile for “"), answer.text
    assert answer.occupations and answer.alternatives


@pytest.mark.model
@pytest.mark.parametrize("question", ["tell me a funny story", "is there a vaccine for the flu"])
def test_a_thing_after_a_is_not_taken_for_a_job_outside_a_jobs_frame(bundled_bot, question):
    assert bundled_bot.ask(question).occupations == ()


@pytest.mark.model
def test_own_dialogs_through_careerbot_eval(bundled_bot):
    """Our own dialogs (tests/dialogs.jsonl, every kind), judged like the shared scorer, via the CLI."""
    where = ["--corpus", str(bundled_bot.settings.corpus), "--store", str(bundled_bot.settings.store)]
    result = CliRunner().invoke(cli, ["eval", str(DIALOGS), *where, "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert set(report["kinds"]) >= {"single", "same", "first", "compare", "explore", "rank", "none"}
    assert report["passed"] / report["turns"] >= 0.9, report["failures"]
    table = CliRunner().invoke(cli, ["eval", str(DIALOGS), *where]).output
    assert re.search(r"turns passed +\d+/\d+", table) and "  compare " in table


# A generic name ("Instructor", "Painter") owned by one profile, and profiles for more specific
# titles built on it, so a title around the name means another job than the name alone.
TITLES = {
    "instructors.txt": """Position Title | Teachers and Instructors, All Other |
---|---|
Alternate Title(s) | Instructor, Teacher |
Brief job description | All teachers and instructors not listed separately. |
""",
    "music.txt": """Position Title | Music Teachers |
---|---|
Alternate Title(s) | Piano Teacher, Voice Coach |
Brief job description | Teach students to sing or to play instruments such as the piano or guitar. |
""",
    "painters.txt": """Position Title | Painters, Construction and Maintenance |
---|---|
Alternate Title(s) | Painter, House Painter |
Brief job description | Paint walls, buildings, bridges and other structures. |
""",
    "helpers.txt": """Position Title | Helpers--Painters and Plasterers |
---|---|
Alternate Title(s) | Paint Mixer, Plasterer Helper |
Brief job description | Help painters and plasterers by cleaning surfaces, mixing paint and carrying tools. |
""",
}


@pytest.fixture(scope="module")
def titles_bot(tmp_path_factory):
    root = tmp_path_factory.mktemp("titles")
    (root / "corpus").mkdir()
    for name, text in TITLES.items():
        (root / "corpus" / name).write_text(text, encoding="utf-8")
    bot = CareerBot(corpus=root / "corpus", store=root / "store")
    bot.index()
    return bot


@pytest.mark.model
@pytest.mark.parametrize(
    ("question", "meant", "named"),
    [
        ("What does a piano instructor do?", "Music Teachers", "Teachers and Instructors, All Other"),
        (
            "how do I become a painter helper",
            "Helpers--Painters and Plasterers",
            "Painters, Construction and Maintenance",
        ),
    ],
)
def test_a_name_inside_a_longer_title_is_read_as_the_title(titles_bot, question, meant, named):
    # "instructor" and "painter" are names, but the whole title means another job: that one
    # answers, and the job the name alone means is offered.
    answer = titles_bot.ask(question)
    assert answer.occupations[:1] == (meant,), answer.text
    assert named in answer.alternatives


@pytest.mark.model
@pytest.mark.parametrize(
    ("question", "job"),
    [
        ("How much does an experienced welder make?", "Welder"),
        ("what do union electricians earn", "Electrician"),
    ],
)
def test_words_before_a_name_that_only_qualify_it_keep_the_job(bundled_bot, question, job):
    answer = bundled_bot.ask(question)
    assert answer.occupations[:1] == (job,) and answer.citations[0].section == "Estimated/Expected Salary"


@pytest.mark.model
def test_a_job_someone_does_not_want_is_not_what_they_ask_about(bundled_bot):
    answer = bundled_bot.ask(
        "I'm handy with tools but I don't want to be a plumber. What other careers use tools?"
    )
    assert len(answer.occupations) >= 2 and "Plumber" not in answer.occupations, answer.text


@pytest.mark.model
@pytest.mark.parametrize(
    "question", ["what types of careers exist in aviation?", "what sorts of work are there in manufacturing"]
)
def test_jobs_in_a_field_named_like_a_job_are_a_search(bundled_bot, question):
    # "aviation" is near the aircraft mechanic, but it is a field: every job in it is wanted.
    answer = bundled_bot.ask(question)
    assert len(answer.occupations) >= 2, answer.text
