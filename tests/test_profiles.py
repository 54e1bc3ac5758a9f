"""Parsing documents into profiles: the seed's pipe table exactly, Markdown, plain text."""

import pytest

from careerbot.profiles import ProfileError, find_aliases, parse_profile
from tests.conftest import SEED


@pytest.fixture(scope="module")
def seed():
    return parse_profile(SEED.read_text(encoding="utf-8"), SEED.name)


def test_seed_title_and_sections(seed):
    assert seed.occupation == "Industrial Production Manager"
    assert [s.name for s in seed.sections] == [
        "Alternate Title(s)",
        "Education & Training Level",
        "Education & Training Level Description",
        "Brief job description",
        "Preferred Level of Education",
        "Preferred Level of Experience",
        "Estimated/Expected Salary",
        "Job Profile",
        "Job Skills",
        "Resources",
    ]


def test_seed_empty_cells_are_empty_sections(seed):
    assert seed.section("Alternate Title(s)").text == ""
    assert seed.section("Resources").text == ""
    assert seed.section("Education & Training Level").text == "Bachelor's degree"


def test_seed_multiline_values_keep_every_line(seed):
    job_profile = seed.section("Job Profile").text
    assert job_profile.startswith("Industrial production managers are responsible")
    assert job_profile.endswith("such as a helmet or safety goggles.")
    assert len(job_profile.splitlines()) == 2
    assert "|" not in job_profile
    assert seed.section("Job Skills").text.startswith("Many industrial production managers begin")


def test_seed_keeps_curly_quotes(seed):
    assert "bachelor’s degree" in seed.section("Education & Training Level Description").text


def test_seed_aliases_from_called_phrases(seed):
    assert "plant managers" in seed.aliases
    assert "quality control systems managers" in seed.aliases


def test_alternate_titles_become_aliases():
    text = "Position Title | Welder |\n---|---|\nAlternate Title(s) | Fabricator, Brazer; Solderer |\n"
    profile = parse_profile(text, "welder.txt")
    assert profile.aliases == ("Fabricator", "Brazer", "Solderer")


def test_find_aliases_splits_alternatives():
    assert find_aliases("Nurses, also known as RNs or registered nurses, care for") == [
        "RNs",
        "registered nurses",
    ]


def test_markdown_profile():
    text = "# Dental Hygienist\n\nCleans teeth.\n\n## Pay\nGood pay.\n\n## Skills\nPatience.\n"
    profile = parse_profile(text, "dh.md")
    assert profile.occupation == "Dental Hygienist"
    assert [(s.name, s.text) for s in profile.sections] == [
        ("Overview", "Cleans teeth."),
        ("Pay", "Good pay."),
        ("Skills", "Patience."),
    ]


def test_plain_text_profile_takes_title_from_first_line():
    text = "Baker\nBakers mix dough and bake bread for shops.\n\nTraining\nMost learn on the job.\n"
    profile = parse_profile(text, "baker.txt")
    assert profile.occupation == "Baker"
    assert profile.section("Overview").text == "Bakers mix dough and bake bread for shops."
    assert profile.section("Training").text == "Most learn on the job."


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("   \n\n", "empty"),
        ("Position Title | |\n---|---|\nJob Skills | Lots |\n", "no occupation title"),
    ],
)
def test_unusable_documents_say_why(text, reason):
    with pytest.raises(ProfileError, match=reason):
        parse_profile(text, "bad.txt")
