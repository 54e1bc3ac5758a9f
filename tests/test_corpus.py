"""The shipped corpus (the files git tracks in corpus/, not uploads): the seed byte for byte, and 40+
authored profiles that parse into full profiles."""

import re

import pytest

from careerbot.documents import read_profile
from careerbot.profiles import occupation_key
from tests.conftest import CORPUS, SEED, SHIPPED_DOCUMENTS

PROFILES = [path for path in SHIPPED_DOCUMENTS if path.name != SEED.name]


def test_the_seed_is_kept_byte_for_byte():
    assert (CORPUS / SEED.name).read_bytes() == SEED.read_bytes()


def test_at_least_forty_authored_profiles_each_its_own_occupation():
    assert len(PROFILES) >= 40
    occupations = [occupation_key(read_profile(p, CORPUS, max_bytes=10**6).occupation) for p in PROFILES]
    assert len(set(occupations)) == len(occupations)


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.stem)
def test_profile_is_complete(path):
    profile = read_profile(path, CORPUS, max_bytes=10**6)
    assert profile.occupation and profile.occupation == profile.occupation.strip()
    assert len(profile.filled_sections) >= 8
    alternate_titles = re.split(r"\s*[,;]\s*", profile.section("Alternate Title(s)").text)
    assert len([t for t in alternate_titles if t]) >= 2
    # Pay is a figure with its year and its source named; the sources are listed.
    pay = profile.section("Estimated/Expected Salary").text
    assert re.search(r"\$\d[\d,]*", pay) and re.search(r"\b20\d\d\b", pay), pay
    assert "Bureau of Labor Statistics" in pay
    assert "Bureau of Labor Statistics" in profile.section("Resources").text


def test_the_corpus_covers_the_main_fields_of_work():
    titles = " ".join(read_profile(p, CORPUS, max_bytes=10**6).occupation for p in PROFILES).lower()
    for occupation in [
        "nurse",  # healthcare
        "electrician",  # trades
        "first-line supervisor",  # the seed's neighbours in production
        "industrial engineer",
        "quality control inspector",
        "logistician",
        "purchasing manager",
        "software developer",  # IT
        "teacher",  # education
        "accountant",  # business and finance
        "firefighter",  # public safety
        "truck driver",  # transportation
        "chef",  # hospitality
        "graphic designer",  # creative work
        "scientist",  # science
        "social worker",  # social services
        "farmer",  # agriculture
    ]:
        assert occupation in titles, occupation
