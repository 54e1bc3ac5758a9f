"""Section-aware chunking."""

from careerbot.chunks import chunk_profile, split_sentences
from careerbot.profiles import Profile, Section, parse_profile
from tests.conftest import SEED


def test_one_chunk_per_filled_section():
    profile = parse_profile(SEED.read_text(encoding="utf-8"), SEED.name)
    chunks = chunk_profile(profile, max_chars=5000)
    assert [c.section for c in chunks] == [s.name for s in profile.filled_sections]
    assert [c.position for c in chunks] == list(range(len(chunks)))
    assert {c.source for c in chunks} == {SEED.name}


def test_long_sections_split_between_sentences():
    sentences = [f"Sentence number {i} says something useful about the work." for i in range(30)]
    profile = Profile("Welder", "w.txt", (Section("Job Profile", " ".join(sentences)),))
    chunks = chunk_profile(profile, max_chars=300)
    assert len(chunks) > 1
    assert all(len(c.text) <= 300 for c in chunks)
    assert " ".join(c.text for c in chunks) == " ".join(sentences)


def test_embedded_text_names_occupation_and_section():
    profile = Profile(
        "Industrial Production Manager",
        "ipm.txt",
        (Section("Education & Training Level Description", "A bachelor's degree is preferred."),),
        aliases=("plant managers",),
    )
    document = chunk_profile(profile, 900)[0].to_document()
    header = document.page_content.splitlines()[0]
    assert "Industrial Production Manager" in header
    assert "plant managers" in header
    assert "Education & Training Level Description" in header
    assert document.metadata["section"] == "Education & Training Level Description"
    assert document.metadata["source"] == "ipm.txt"


def test_sentence_split_keeps_labels_with_their_sentence():
    text = "Interpersonal skills. Managers must communicate well. They lead teams.\nNext line here."
    assert split_sentences(text) == [
        "Interpersonal skills. Managers must communicate well.",
        "They lead teams.",
        "Next line here.",
    ]


def test_names_and_codes_head_chunks_instead_of_being_chunks():
    text = (
        "Position Title | Logistician |\n---|---|\n"
        "Alternate Title(s) | Logistics Analyst, Supply Chain Analyst |\n"
        "O*NET-SOC Code | 13-1081.00 |\n"
        "Brief job description | Logisticians coordinate supply chains. |\n"
    )
    chunks = chunk_profile(parse_profile(text, "logistician.txt"), 900)
    assert [c.section for c in chunks] == ["Brief job description"]
    assert "Logistics Analyst" in chunks[0].header
