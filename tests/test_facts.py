"""Career facts read from profiles: crafted sentences, the bundled corpus against a hand-written
table, and the O*NET profiles (which state no pay or growth)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from careerbot.chunks import chunk_profile
from careerbot.documents import find_documents, read_profile
from careerbot.facts import EDUCATION_LEVELS, Facts, education_level, facts_of
from careerbot.profiles import parse_profile
from tests.conftest import CORPUS, SHARED, SHIPPED_DOCUMENTS

EXPECTED = json.loads((Path(__file__).parent / "data" / "expected_facts.json").read_text(encoding="utf-8"))
ONET = SHARED / "eval" / "onet_corpus"


def profile_facts(salary: str = "", outlook: str = "", title: str = "Welder", **sections: str) -> Facts:
    """The facts of a Markdown profile with these sections."""
    body = {"Salary": salary, "Job Outlook": outlook, **sections}
    text = f"# {title}\n\n" + "\n\n".join(f"## {name}\n{value}" for name, value in body.items() if value)
    return facts_of(parse_profile(text, "crafted.md"))


# -- pay ----------------------------------------------------------------------------------------
def test_an_annual_figure_with_year_and_source():
    facts = profile_facts(
        "The median annual wage for welders was $48,940 in May 2023, according to the U.S. Bureau of "
        "Labor Statistics. Pay varies by industry."
    )
    assert facts.median_annual_pay == 48940
    assert (facts.pay.per, facts.pay.year, facts.pay.text) == ("year", 2023, "$48,940")
    assert facts.pay.according_to == "U.S. Bureau of Labor Statistics"
    assert facts.pay.evidence.sentence.startswith("The median annual wage for welders")
    assert facts.citations["pay"].section == "Salary"


def test_an_hourly_figure_is_kept_hourly_never_converted():
    facts = profile_facts("Welders earned a median of $25.18 per hour in 2024.")
    assert facts.median_annual_pay is None
    assert facts.median_hourly_pay == 25.18
    assert facts.pay.per == "hour"


def test_about_a_figure_is_approximate():
    facts = profile_facts("Most welders earn about $60,000 a year.")
    assert facts.median_annual_pay == 60000
    assert facts.pay.approximate


def test_a_range_is_a_range_not_a_median():
    facts = profile_facts("The median annual wage was roughly $52,000 to $55,000 in May 2023.")
    assert facts.median_annual_pay is None
    assert (facts.pay.low, facts.pay.high, facts.pay.approximate) == (52000, 55000, True)
    assert facts.pay.text == "$52,000 to $55,000"


def test_two_figures_in_one_sentence_take_the_one_for_this_occupation():
    facts = profile_facts(
        "In May 2023 the median annual wage was $44,100 for welding helpers and $48,940 for welders.",
    )
    assert facts.median_annual_pay == 48940


def test_two_figures_for_different_years_take_the_latest():
    facts = profile_facts("The median annual wage was $45,000 in May 2019 and $48,940 in May 2023.")
    assert facts.median_annual_pay == 48940
    assert facts.pay.year == 2023


def test_two_figures_nothing_decides_gives_no_pay():
    facts = profile_facts("Annual pay ranges from $30,000 for beginners to $90,000 for experts.")
    assert facts.pay is None


def test_a_bound_or_a_unitless_figure_is_not_a_median():
    assert profile_facts("Some welders earn over $90,000 a year.").pay is None
    assert profile_facts("The median wage was $48,940 in May 2023.").pay is None  # a year? an hour? not said
    assert profile_facts("Welding gear costs $2,000 a year.").pay is None  # not pay at all


def test_thousands_written_with_k():
    assert profile_facts("Welders earn a median salary of about $48k.").median_annual_pay == 48000


def test_no_pay_stated_no_pay_fact():
    facts = profile_facts("See the Bureau of Labor Statistics for more information.")
    assert facts.pay is None and facts.median_annual_pay is None


# -- growth -------------------------------------------------------------------------------------
def test_growth_percent_and_period():
    facts = profile_facts(outlook="Employment of welders is projected to grow 2 percent from 2023 to 2033.")
    assert facts.growth_percent == 2.0
    assert facts.growth.period == "2023 to 2033"
    assert facts.growth.words == "grow 2 percent"


def test_a_decline_is_negative():
    facts = profile_facts(
        outlook="Employment of welders is projected to decline about 4 percent over the decade."
    )
    assert facts.growth_percent == -4.0
    assert facts.growth.approximate


def test_little_or_no_change_is_zero_with_its_words():
    facts = profile_facts(
        outlook="Employment of welders is projected to show little or no change from 2023 to 2033."
    )
    assert facts.growth_percent == 0.0
    assert "little or no change" in facts.growth.words


def test_growth_words_without_a_figure_keep_the_words_and_no_percent():
    facts = profile_facts(outlook="Employment of welders is projected to decline from 2023 to 2033.")
    assert facts.growth_percent is None
    assert facts.growth.words == "decline"


def test_a_percent_that_is_not_a_projection_is_no_growth():
    facts = profile_facts(outlook="About 40 percent of welders work in manufacturing.")
    assert facts.growth is None


# -- education, training, licences ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("words", "level"),
    [
        ("Bachelor's degree", "bachelor's"),
        ("Employers prefer that managers have at least a bachelor’s degree.", "bachelor's"),
        ("High school diploma or equivalent, plus police academy training", "high school"),
        ("Postsecondary nondegree award", "postsecondary certificate"),
        ("Some college or associate's degree (requirements vary)", "some college/associate's"),
        ("Master's degree", "master's"),
        ("Doctoral or professional degree", "doctoral/professional"),
        ("No formal educational credential", "none"),
        ("Whatever you like", None),
    ],
)
def test_education_levels(words, level):
    assert education_level(words) == level


def test_education_from_the_level_field_keeps_its_words():
    facts = profile_facts(**{"Education & Training Level": "Postsecondary nondegree award"})
    assert facts.entry_education == "postsecondary certificate"
    assert facts.education.words == "Postsecondary nondegree award"
    assert EDUCATION_LEVELS.index(facts.entry_education) == 2


def test_education_from_a_sentence_when_no_level_field():
    facts = profile_facts(Education="Welders typically need a high school diploma and some training.")
    assert facts.entry_education == "high school"


def test_training_length_and_licences():
    facts = profile_facts(
        **{
            "How to Become One": "Most learn through an apprenticeship lasting three to four years. "
            "Many earn the Certified Welder (CW) credential from the American Welding Society.",
        }
    )
    assert (facts.training.kind, facts.training.words) == ("apprenticeship", "three to four years")
    assert (facts.training.low, facts.training.high, facts.training.unit) == (3.0, 4.0, "year")
    assert [lic.name for lic in facts.licences] == ["Certified Welder (CW)"]


def test_facts_round_trip_through_their_stored_form():
    facts = profile_facts(
        "The median annual wage for welders was $48,940 in May 2023.",
        "Employment of welders is projected to grow 2 percent from 2023 to 2033.",
    )
    stored = json.loads(json.dumps(facts.to_dict()))
    assert Facts.from_dict(stored) == facts
    assert stored["median_annual_pay"] == 48940 and stored["growth_percent"] == 2.0


# -- the bundled corpus against the hand-written table -------------------------------------------
@pytest.fixture(scope="module")
def bundled() -> dict[str, tuple[Facts, list]]:
    found = {}
    for path in SHIPPED_DOCUMENTS:  # as tracked: never an upload sitting in corpus/
        profile = read_profile(path, CORPUS, max_bytes=5_000_000)
        found[profile.source] = (facts_of(profile), chunk_profile(profile, 900))
    return found


def test_the_table_covers_every_bundled_profile(bundled):
    assert set(bundled) == {k for k in EXPECTED if not k.startswith("_")}


def test_every_stated_pay_figure_read_exactly(bundled):
    for source, (facts, _) in bundled.items():
        expected = EXPECTED[source]
        assert facts.median_annual_pay == expected["pay"], source
        if "pay_range" in expected:
            assert [facts.pay.low, facts.pay.high] == expected["pay_range"], source
        elif expected["pay"] is None:
            assert facts.pay is None, source  # none stated: no fact at all


def test_every_stated_growth_figure_read_exactly(bundled):
    for source, (facts, _) in bundled.items():
        assert facts.growth_percent == EXPECTED[source]["growth"], source


def test_entry_education_right_for_at_least_95_percent(bundled):
    right = sum(
        facts.entry_education == EXPECTED[source]["education"] for source, (facts, _) in bundled.items()
    )
    assert right / len(bundled) >= 0.95


def test_the_seed_states_no_pay_and_the_answer_is_none(bundled):
    facts, _ = bundled["industrial-production-manager.txt"]
    assert facts.pay is None and facts.growth is None
    assert facts.entry_education == "bachelor's"


def test_every_fact_quotes_a_sentence_of_its_chunk(bundled):
    for source, (facts, chunks) in bundled.items():
        by_position = {c.position: c for c in chunks}
        for name, evidence in facts.citations.items():
            chunk = by_position[evidence.position]
            assert evidence.sentence in chunk.text, (source, name)
            assert chunk.section == evidence.section
        if facts.pay:
            assert facts.pay.text.split(" to ")[0] in facts.pay.evidence.sentence
        if facts.growth and facts.growth.text:
            assert facts.growth.text in facts.growth.evidence.sentence


# -- O*NET profiles: no pay, no growth ------------------------------------------------------------
@pytest.mark.skipif(not ONET.is_dir(), reason="../shared/eval/onet_corpus is not here")
def test_onet_profiles_state_no_pay_or_growth():
    started = time.perf_counter()
    paths = find_documents(ONET)
    found = [facts_of(read_profile(p, ONET, max_bytes=5_000_000)) for p in paths]
    assert len(found) > 1000
    assert [f.source for f in found if f.pay is not None] == []
    assert [f.source for f in found if f.growth is not None] == []
    assert time.perf_counter() - started < 30


# -- rank and relation on crafted facts (passages built by hand: the same seam as bot.profile) -----
def _profile_and_passages(title: str, salary: str, outlook: str = "") -> tuple[Facts, list]:
    from careerbot.retrieval import Passage

    text = (
        f"# {title}\n\n## Salary\n{salary}\n\n## Job Outlook\n{outlook}\n"
        if outlook
        else f"# {title}\n\n## Salary\n{salary}\n"
    )
    profile = parse_profile(text, f"{title.lower()}.md")
    chunks = chunk_profile(profile, 900)
    passages = [
        Passage(f"{profile.source}-{c.position}", c.occupation, c.section, c.source, c.text, 1.0, c.position)
        for c in chunks
    ]
    return facts_of(profile), passages


def test_rank_leaves_hourly_pay_out_and_says_so():
    from careerbot.answer.rank import rank

    crafted = [
        _profile_and_passages("Baker", "Bakers earned a median of $18.20 per hour in 2024."),
        _profile_and_passages("Brewer", "The median annual wage for brewers was $51,000 in 2024."),
        _profile_and_passages("Tailor", "The median annual wage for tailors was $38,500 in 2024."),
        _profile_and_passages("Jester", "Jesters are paid in laughter."),
    ]
    facts = [f for f, _ in crafted]
    by_source = {f.source: passages for f, passages in crafted}
    answer = rank(facts, by_source, measure="pay")
    assert answer.occupations == ("Brewer", "Tailor")
    assert [c.occupation for c in answer.citations] == ["Brewer", "Tailor"]
    assert "2 of the 4 profiles don't state a yearly median pay: Baker, Jester." in answer.text
    assert "(1 state hourly pay, which is not ranked with yearly pay)" in answer.text
    assert rank(facts, by_source.get, measure="pay", descending=False).occupations[0] == "Tailor"
    with pytest.raises(ValueError, match="unknown education level"):
        rank(facts, by_source, measure="pay", at_most_education="a degree")
    with pytest.raises(ValueError, match="unknown measure"):
        rank(facts, by_source, measure="fame")


def test_rank_cites_nothing_it_cannot_find_in_the_passages():
    from careerbot.answer.rank import rank

    facts, _ = _profile_and_passages("Brewer", "The median annual wage for brewers was $51,000 in 2024.")
    answer = rank([facts], {facts.source: []}, measure="pay")  # a stale store: the chunk is gone
    assert answer.occupations == () and answer.citations == ()


def test_relation_needs_two_comparable_figures():
    from careerbot.answer.rank import relation

    baker, _ = _profile_and_passages("Baker", "Bakers earned a median of $18.20 per hour in 2024.")
    brewer, _ = _profile_and_passages("Brewer", "The median annual wage for brewers was $51,000 in 2024.")
    cooper, _ = _profile_and_passages(
        "Cooper", "The median annual wage for coopers was about $50,500 in 2024."
    )
    assert relation(baker, brewer, "pay") is None  # an hour and a year: not compared
    assert (
        relation(brewer, cooper, "pay")
        == "Brewers and Coopers earn about the same: $51,000 and $50,500 a year."
    )
    assert relation(brewer, baker, "growth") is None


def test_the_stored_form_leaves_out_what_is_not_stated():
    facts = profile_facts("See the Bureau of Labor Statistics for more information.")
    assert facts.stored() == {"occupation": "Welder", "source": "crafted.md"}
    assert Facts.from_dict(facts.stored()) == facts
