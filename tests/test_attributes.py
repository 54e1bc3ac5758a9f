"""What profiles say about the work: crafted sentences for each attribute and its negation, the bundled
corpus against a hand-written table (tests/data/expected_attributes.json), and the O*NET profiles."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

from careerbot.chunks import chunk_profile
from careerbot.documents import find_documents, read_profile
from careerbot.facts import ATTRIBUTES, Attribute, Facts, facts_of
from careerbot.profiles import parse_profile
from tests.conftest import CORPUS, SHARED, SHIPPED_DOCUMENTS

EXPECTED = json.loads(
    (Path(__file__).parent / "data" / "expected_attributes.json").read_text(encoding="utf-8")
)
ONET = SHARED / "eval" / "onet_corpus"


def profile(title: str = "Welder", **sections: str) -> Facts:
    """The facts of a Markdown profile with these sections (underscores in names become spaces)."""
    text = f"# {title}\n\n" + "\n\n".join(
        f"## {name.replace('_', ' ')}\n{value}" for name, value in sections.items()
    )
    return facts_of(parse_profile(text, "crafted.md"))


def work(sentence: str) -> Facts:
    return profile(Work_Environment=sentence)


# -- each attribute, stated and denied ------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "sentence", "stated"),
    [
        ("office", "Most welders work in offices.", True),
        ("office", "Welders rarely work in an office.", False),
        ("outdoors", "They often work outdoors in all weather.", True),
        ("outdoors", "They never work outdoors.", False),
        ("field", "They may travel to clients' homes and job sites.", True),
        ("field", "They seldom travel to job sites.", False),
        ("vehicle", "They drive delivery trucks between stores.", True),
        ("remote", "Remote work is common.", True),
        ("remote", "Remote work is rare in this occupation.", False),
        ("remote", "Some work from home.", True),
        ("nights", "Some welders work nights.", True),
        ("nights", "Welders rarely work nights.", False),
        ("weekends", "Saturday hours may be part of the schedule.", True),
        ("weekends", "They do not work weekends.", False),
        ("on_call", "Many are on call for breakdowns.", True),
        ("on_call", "They are never on call.", False),
        ("long_shifts", "Most work 12-hour shifts.", True),
        ("long_shifts", "Shifts of 24 or 48 hours are rare; 10- or 12-hour shifts are common.", True),
        ("away_from_home", "Pipeline welders can be away from home for weeks.", True),
        ("away_from_home", "Most return home each night.", False),
        ("physical", "The work is physically demanding.", True),
        ("physical", "The work is not physically demanding.", False),
        ("patients", "They prepare patients for treatment.", True),
        ("blood", "They draw blood for tests.", True),
        ("emergencies", "They respond to emergency calls.", True),
    ],
)
def test_a_sentence_states_or_denies_an_attribute(name, sentence, stated):
    facts = work(sentence)
    assert facts.has(name) is stated
    assert facts.attribute(name).evidence.sentence == sentence
    assert facts.citations[f"attribute:{name}"].section == "Work Environment"


@pytest.mark.parametrize(
    "sentence",
    [
        "Welders must stay patient with trainees.",  # the adjective, not patients
        "They check blood pressure and pulse.",  # a vital sign, no blood
        "They work in remote places and far from roads.",  # remote places are no remote work
        "They follow emergency procedures and keep emergency equipment ready.",
        "They keep the records of hospital patients.",  # no contact with them
        "Lineworkers drive to work in the evening.",  # evenings are not nights
        "Pay is higher for night shifts.",  # only in a salary section: see below
    ],
)
def test_words_that_look_like_a_cue_are_not_one(sentence):
    facts = work(sentence)
    says = {a.name: a.stated for a in facts.attributes}
    assert not (says.keys() & {"patients", "blood", "remote", "emergencies"}), says
    if "night shifts" in sentence:
        assert says.get("nights") is True  # said of the work environment, it counts
        assert profile(Salary=sentence).has("nights") is None  # a pay sentence says nothing of the work


def test_a_sentence_about_a_related_occupation_is_not_read():
    facts = profile(
        Job_Profile="Closely related workers include millwrights, who work at construction sites."
    )
    assert facts.has("field") is None


def test_a_licence_required_stated_denied_or_only_hedged():
    how = "How_to_Become_One"
    assert profile(**{how: "All states require welders to be licensed."}).has("licence_required") is True
    assert profile(**{how: "A state license is required to practice."}).has("licence_required") is True
    assert (
        profile(**{how: "They must hold a commercial driver's license (CDL)."}).has("licence_required")
        is True
    )
    assert profile(**{how: "Licensing is not required for most welders."}).has("licence_required") is False
    assert profile(**{how: "Certification is voluntary but helps."}).has("licence_required") is False
    assert profile(**{how: "No license is required."}).has("licence_required") is False
    for hedged in (
        "A commercial driver's license is often required.",
        "Many employers require a commercial driver's license.",
        "Welders who inspect bridges must hold a certification.",  # some of them only
        "Certification is not required in every state, but many employers require it.",
        "To become a CWI, candidates must pass an exam under a licensed inspector.",
    ):
        assert profile(**{how: hedged}).has("licence_required") is None, hedged


def test_people_data_things_from_the_summary_only_when_one_kind_is_clear():
    summary = "Brief_job_description"
    assert profile(**{summary: "Teach students and help their families."}).has("people") is True
    assert profile(**{summary: "Analyze financial data and keep tax records."}).has("data") is True
    assert profile(**{summary: "Install and repair pipes, fixtures and machines."}).has("things") is True
    mixed = profile(**{summary: "Serve customers food and beverages."})
    assert {a.name for a in mixed.attributes} & {"people", "data", "things"} == set()


def test_silence_is_none_and_names_are_checked():
    facts = work("Welders join metal parts.")
    assert facts.has("nights") is None and facts.attribute("nights") is None
    with pytest.raises(ValueError, match="unknown attribute 'night'"):
        facts.has("night")
    assert set(ATTRIBUTES) >= {a.name for a in facts.attributes}


def test_at_most_one_per_name_the_first_sentence_that_says_it():
    facts = work("Some welders often work nights. Others rarely work nights at all.")
    assert [a.name for a in facts.attributes] == ["nights"]
    assert facts.attribute("nights").evidence.sentence == "Some welders often work nights."


# -- training months -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sentence", "months"),
    [
        ("Most learn through an apprenticeship lasting three to four years.", (36.0, 48.0)),
        ("Programs usually take about a year.", (12.0, 12.0)),
        ("A certificate program can take from six months to two years.", (6.0, 24.0)),
        ("Many complete one- or two-year programs.", (12.0, 24.0)),
        ("Welders need a year or more of further training.", None),  # a lower bound, no length
        ("Training programs last from several months to two years.", None),  # no stated low end
        ("Training lasts a few weeks.", None),
        ("Many complete a program at a four-year college.", None),  # a kind of college, no length
    ],
)
def test_training_months_only_where_a_length_is_stated(sentence, months):
    assert profile(How_to_Become_One=sentence).training_months == months


def test_a_degree_above_the_entry_level_is_not_the_entry_path():
    facts = profile(
        Education_and_Training_Level="High school diploma or equivalent",
        How_to_Become_One="A two- or four-year degree in welding engineering builds knowledge.",
    )
    assert facts.entry_education == "high school"
    assert facts.training_months is None


# -- stored forms -----------------------------------------------------------------------------------
def test_attributes_round_trip_and_are_cited():
    facts = work("Most work nights and weekends, and some are on call.")
    assert [a.name for a in facts.attributes] == ["nights", "weekends", "on_call"]
    stored = json.loads(json.dumps(facts.to_dict()))
    assert Facts.from_dict(stored) == facts
    assert Facts.from_dict(json.loads(json.dumps(facts.stored()))) == facts
    assert stored["attributes"][0] == {
        "name": "nights",
        "stated": True,
        "evidence": {
            "source": "crafted.md",
            "section": "Work Environment",
            "position": facts.attributes[0].evidence.position,
            "sentence": "Most work nights and weekends, and some are on call.",
            "chunk_id": "",
        },
    }
    filled = facts.with_chunk_ids({("crafted.md", facts.attributes[0].evidence.position): "chunk-7"})
    assert {a.evidence.chunk_id for a in filled.attributes} == {"chunk-7"}


def test_a_manifest_entry_from_before_attributes_loads_with_none():
    old = {"occupation": "Welder", "source": "welder.txt"}
    facts = Facts.from_dict(old)
    assert facts.attributes == () and facts.has("nights") is None
    evidence = work("Welders often work nights.").attributes[0].evidence
    assert Facts.from_dict(
        {
            **old,
            "attributes": [
                {
                    "name": "nights",
                    "stated": True,
                    "evidence": {
                        "source": "welder.txt",
                        "section": "Work Environment",
                        "position": 3,
                        "sentence": evidence.sentence,
                    },
                }
            ],
        }
    ).attributes == (
        Attribute("nights", True, evidence.__class__("welder.txt", "Work Environment", 3, evidence.sentence)),
    )


def test_the_language_table_ships_with_the_package():
    assert resources.files("careerbot.facts").joinpath("attributes.toml").is_file()


# -- the bundled corpus against the hand-written table ----------------------------------------------
@pytest.fixture(scope="module")
def bundled() -> dict[str, tuple[Facts, list]]:
    found = {}
    for path in SHIPPED_DOCUMENTS:  # as tracked: never an upload sitting in corpus/
        parsed = read_profile(path, CORPUS, max_bytes=5_000_000)
        found[parsed.source] = (facts_of(parsed), chunk_profile(parsed, 900))
    return found


def test_the_table_covers_every_bundled_profile(bundled):
    assert set(bundled) == {k for k in EXPECTED if not k.startswith("_")}
    for source, entry in EXPECTED.items():
        if not source.startswith("_"):
            assert set(entry["attributes"]) <= set(ATTRIBUTES), source


def test_every_attribute_of_every_bundled_profile_read_exactly(bundled):
    wrong = []
    for source, (facts, _) in bundled.items():
        expected = EXPECTED[source]["attributes"]
        for name in ATTRIBUTES:
            want = expected[name]["stated"] if name in expected else None
            if facts.has(name) != want:
                wrong.append((source, name, facts.has(name), want))
    assert wrong == []


def test_every_attribute_quotes_a_sentence_that_says_it(bundled):
    for source, (facts, chunks) in bundled.items():
        by_position = {c.position: c for c in chunks}
        text = (CORPUS / source).read_text(encoding="utf-8")
        for attribute in facts.attributes:
            chunk = by_position[attribute.evidence.position]
            assert attribute.evidence.sentence in chunk.text, (source, attribute.name)
            assert chunk.section == attribute.evidence.section
            fragments = EXPECTED[source]["attributes"][attribute.name]["evidence"]
            assert all(fragment in text for fragment in fragments), (source, attribute.name)
            assert any(fragment in attribute.evidence.sentence for fragment in fragments), (
                source,
                attribute.name,
                attribute.evidence.sentence,
            )


def test_training_months_of_every_bundled_profile(bundled):
    for source, (facts, _) in bundled.items():
        want = EXPECTED[source]["training_months"]
        assert facts.training_months == (tuple(want) if want else None), source


# -- O*NET profiles: one paragraph each; what is read is said there ---------------------------------
@pytest.mark.skipif(not ONET.is_dir(), reason="../shared/eval/onet_corpus is not here")
def test_onet_profiles_read_only_what_a_sentence_says():
    found = {}
    for path in find_documents(ONET):
        parsed = read_profile(path, ONET, max_bytes=5_000_000)
        found[parsed.occupation] = (facts_of(parsed), chunk_profile(parsed, 900))
    assert len(found) > 1000
    for occupation, (facts, chunks) in found.items():
        by_position = {c.position: c for c in chunks}
        for attribute in facts.attributes:
            assert attribute.evidence.sentence in by_position[attribute.evidence.position].text, occupation
    assert found["Phlebotomists"][0].has("blood") is True
    assert found["Taxi Drivers"][0].has("vehicle") is True
    assert found["Medical Records Specialists"][0].has("patients") is None
    # One paragraph of duties says nothing about hours or places of work.
    said = {a.name for facts, _ in found.values() for a in facts.attributes}
    assert said.isdisjoint({"nights", "weekends", "on_call", "long_shifts", "remote", "office"})
