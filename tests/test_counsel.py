"""Counsel: which jobs suit a person's situation, why, and direct answers, from the profiles' own
attributes and facts. Crafted profiles first (no model), then whole dialogs with the real model."""

import re

import pytest

from careerbot.answer.counsel import direct, recommend, ruled_out_by, suits
from careerbot.chunks import chunk_profile
from careerbot.facts import facts_of
from careerbot.profiles import parse_profile
from careerbot.retrieval import Passage
from careerbot.understanding.situation import Situation


def crafted(title, description, environment, level, pay, training=""):
    """A profile's passages and facts, from a few sections in a profile's own style."""
    job = title.lower() + "s"
    sections = {
        "Brief job description": description,
        "Work Environment": environment,
        "Education & Training Level": level,
        "Estimated/Expected Salary": f"The median annual wage for {job} was {pay} in May 2024.",
        "How to Become One": training,
    }
    text = f"# {title}\n\n" + "\n\n".join(f"## {k}\n{v}" for k, v in sections.items() if v)
    profile = parse_profile(text, f"{job}.md")
    passages = [
        Passage(f"{job}-{c.position}", c.occupation, c.section, c.source, c.text, 0.5, c.position)
        for c in chunk_profile(profile, 900)
    ]
    return passages, facts_of(profile)


SURGEON = crafted(
    "Vet Surgeon",
    "Vet surgeons operate on injured animals and treat their wounds.",
    "They work in clinics and are exposed to blood and bodily fluids every day.",
    "Doctoral or professional degree",
    "$120,000",
)
BOOKKEEPER = crafted(
    "Bookkeeper",
    "Bookkeepers record the financial transactions of small businesses.",
    "Bookkeepers work in offices, and remote work is common.",
    "High school diploma or equivalent",
    "$47,000",
    "Most bookkeepers complete a certificate program that usually takes about six months.",
)
GARDENER = crafted(
    "Gardener",
    "Gardeners plant and care for lawns, trees and flower beds.",
    "Gardeners work outdoors in all weather, and the work is physically demanding.",
    "No formal educational credential",
    "$36,000",
)
ALL = [SURGEON, BOOKKEEPER, GARDENER]
FACTS = {facts.source: facts for _, facts in ALL}
PASSAGES = {passages[0].source: passages for passages, _ in ALL}


def situation(*labels):
    return Situation.of(labels)


def test_the_crafted_profiles_state_what_the_tests_rely_on():
    _, surgeon = SURGEON
    _, bookkeeper = BOOKKEEPER
    _, gardener = GARDENER
    assert surgeon.has("blood") and bookkeeper.has("remote") and gardener.has("outdoors")
    assert bookkeeper.has("blood") is None  # silent: unknown, not no


def test_a_deal_breaker_rules_out_only_jobs_whose_profile_states_it():
    no_blood = situation("avoid:blood")
    assert [suits(f, no_blood) for _, f in ALL] == [False, True, True]


def test_without_a_degree_keeps_jobs_open_with_at_most_a_certificate():
    assert [suits(f, situation("no_degree")) for _, f in ALL] == [False, True, True]


def test_a_want_for_remote_work_keeps_only_jobs_that_say_so():
    assert [suits(f, situation("want:remote")) for _, f in ALL] == [False, True, False]


def test_when_nothing_fits_the_constraint_to_drop_is_named():
    impossible = situation("want:remote", "want:outdoors")
    assert not any(suits(f, impossible) for _, f in ALL)
    assert ruled_out_by([f for _, f in ALL], impossible) in ("from home", "outdoors")


def test_recommendations_say_why_with_the_jobs_own_sentence_and_what_it_takes():
    answer = recommend([p for p, _ in ALL], FACTS, situation("want:remote"), PASSAGES.get)
    assert answer.occupations == ("Bookkeeper",)
    assert answer.text.startswith("**From home**")
    assert "remote work is common" in answer.text  # why: the sentence saying it has what is wanted
    assert "six months" in answer.text and "$47,000" in answer.text  # what it takes
    cited = {c.id: c.text for c in answer.citations}
    reason = re.search(r"\*\*Bookkeeper\*\*: (.+?) \[(\d+)\]", answer.text)
    assert reason and reason[1] in cited[int(reason[2])]  # the reason is quoted verbatim
    figures = r"\*(?:Takes|Pay)\*: (\$[\d,.]+|[\w-]+ (?:weeks?|months?|years?))[^[]*\[(\d+)\]"
    assert len(re.findall(figures, answer.text)) == 2
    for figure, n in re.findall(figures, answer.text):
        assert figure in cited[int(n)]  # each figure stands in the passage it cites


def test_a_quick_start_puts_the_shortest_stated_training_first():
    answer = recommend([p for p, _ in ALL], FACTS, situation("quick", "avoid:blood"), PASSAGES.get)
    assert answer.occupations[0] == "Bookkeeper"
    assert "Vet Surgeon" not in answer.occupations


def test_nothing_that_suits_gives_no_list():
    assert not recommend(
        [p for p, _ in ALL], FACTS, situation("want:remote", "want:outdoors"), PASSAGES.get
    ).text


def test_a_yes_no_question_is_answered_yes_or_no_from_the_stated_attribute():
    _, gardener = GARDENER
    words, evidence = direct(gardener, ["outdoors"], yes_no=True)
    assert words == "Yes" and "outdoors in all weather" in evidence.sentence
    assert direct(gardener, ["nights"], yes_no=True) is None  # silent: no made-up answer


def test_how_long_is_answered_with_the_duration_as_written():
    _, bookkeeper = BOOKKEEPER
    words, evidence = direct(bookkeeper, ["duration"], yes_no=False)
    assert words.lower().startswith("six months") and "six months" in evidence.sentence


# -- whole dialogs, real model and index -----------------------------------------------------------


@pytest.mark.model
def test_a_situation_is_kept_and_every_recommendation_respects_it(bundled_bot):
    chat = bundled_bot.chat()
    first = chat.ask("Needles and blood make me pass out, but I'd like a job where I look after people.")
    assert "no blood" in first.situation
    assert len(first.occupations) >= 2
    facts = {f.occupation: f for f in bundled_bot.facts()}
    assert not any(facts[name].has("blood") for name in first.occupations)
    later = chat.ask("Also I can't pay for a four-year degree. What are my options?")
    assert {"no blood", "without a degree"} <= set(later.situation)
    assert later.occupations and all(
        facts[name].open_with("postsecondary certificate") for name in later.occupations
    )
    assert not any(facts[name].has("blood") for name in later.occupations)


@pytest.mark.model
def test_which_of_those_ranks_only_the_jobs_just_listed(bundled_bot):
    chat = bundled_bot.chat()
    listed = chat.ask("I'd like to work from home some days. What jobs allow that?")
    assert len(listed.occupations) >= 2
    ranked = chat.ask("Of these, which one earns the most?")
    assert set(ranked.occupations) <= set(listed.occupations)
    facts = {f.occupation: f for f in bundled_bot.facts()}
    best = max(listed.occupations, key=lambda name: facts[name].median_annual_pay or 0)
    assert ranked.occupations[0] == best


@pytest.mark.model
def test_which_of_those_ranks_the_listed_jobs_when_the_history_is_sent_back(bundled_bot):
    question = "Hands-on work suits me and I never want to sit in a lecture hall again. Ideas?"
    listed = bundled_bot.ask(question)
    history = [{"role": "user", "content": question}, {"role": "assistant", "content": listed.text}]
    ranked = bundled_bot.ask("Of these, which one earns the most?", history)
    assert ranked.occupations and set(ranked.occupations) <= set(listed.occupations)


@pytest.mark.model
def test_a_yes_no_question_about_a_job_starts_with_yes_and_the_cited_sentence(bundled_bot):
    answer = bundled_bot.ask("Do paramedics ever have to work overnight?")
    lead = answer.text.split("\n\n")[1]
    assert lead.startswith("Yes: ") and lead.endswith("[1]")
    assert lead[len("Yes: ") : -len(" [1]")] in answer.citations[0].text


@pytest.mark.model
def test_removed_chips_are_forgotten_when_sent_back(bundled_bot):
    history = [
        {"role": "user", "content": "I really don't want to go to university and I hate the sight of blood."}
    ]
    told = bundled_bot.ask("What could I do?", history)
    assert {"without a degree", "no blood"} <= set(told.situation)
    kept = bundled_bot.ask("What could I do?", history, situation=["no blood"])
    assert "without a degree" not in kept.situation and "no blood" in kept.situation
    assert len(kept.occupations) >= 2  # nothing new said: what fits what was told


@pytest.mark.model
def test_when_nothing_fits_the_answer_says_which_part_of_the_situation_rules_all_out(bundled_bot):
    chat = bundled_bot.chat()
    chat.ask("I must be able to work from home and I also want to be outside all day.")
    answer = chat.ask("So what jobs could I do?")
    if answer.occupations:  # a profile may state both; then each listed one must
        facts = {f.occupation: f for f in bundled_bot.facts()}
        assert all(facts[n].has("remote") and facts[n].has("outdoors") for n in answer.occupations)
    else:
        assert answer.text.startswith("No profile I have fits all of this")
        assert "rules them all out" in answer.text and not answer.citations


@pytest.mark.model
def test_pointing_back_at_a_short_list_picks_among_it_and_more_is_an_overview(bundled_bot):
    chat = bundled_bot.chat()
    listed = chat.ask("What jobs are there for someone who wants to run a restaurant kitchen?")
    assert len(listed.occupations) >= 2
    ranked = chat.ask("which of the two earns better?")
    assert set(ranked.occupations) <= set(listed.occupations)
    card = chat.ask("ok, give me more on the top one")
    assert card.occupations[:1] == ranked.occupations[:1]
    # An overview: what the job is, then what it takes and pays, not the pay sentence again.
    assert "*Pay*:" in card.text and "*Takes*:" in card.text
    assert {c.section for c in card.citations} != {"Estimated/Expected Salary"}


@pytest.mark.model
def test_an_attribute_asked_with_no_job_named_is_asked_of_the_job_in_focus(bundled_bot):
    chat = bundled_bot.chat()
    chat.ask("What does a truck driver do?")
    answer = chat.ask("would I be away from my family for days at a time?")
    assert answer.occupations[:1] == ("Heavy and Tractor-Trailer Truck Driver",)
    assert answer.text.split("\n\n")[1].startswith("Yes:")
    assert "away from home" not in " ".join(answer.situation)  # a question, not a deal-breaker


@pytest.mark.model
def test_more_than_a_named_job_compares_it_with_the_one_in_focus(bundled_bot):
    chat = bundled_bot.chat()
    chat.ask("how much do pharmacists earn?")
    answer = chat.ask("is that more than what a registered nurse gets?")
    assert set(answer.occupations) == {"Pharmacist", "Registered Nurse"}


@pytest.mark.model
def test_jobs_open_with_the_education_told_come_first(bundled_bot):
    chat = bundled_bot.chat()
    answer = chat.ask(
        "I only finished high school and my knees are bad, no heavy work. What jobs could I look at?"
    )
    facts = {f.occupation: f for f in bundled_bot.facts()}
    assert answer.occupations
    assert facts[answer.occupations[0]].open_with("postsecondary certificate")
    assert not any(facts[name].has("physical") for name in answer.occupations)
