"""The labeller: fitted on labelled messages, thresholds chosen on a held-out split, kept on disk
under a fingerprint of data, recipe and embedder. Fast tests use the hash embedder behind the same
seam; one test reads messages of our own with the real model."""

import numpy as np
import pytest

from careerbot.index.embedder import HashEmbeddings
from careerbot.understanding import learned
from careerbot.understanding.learned import Labelled, fingerprint, labeller_for, train
from careerbot.understanding.meaning import embed

# Small crafted data: two situations said many ways, and messages that say neither.
_NIGHT = ["I can't work nights", "no night shifts for me", "nights are out, I need sleep", "days only please"]
_NIGHT += [f"I refuse overnight work number {n}" for n in range(20)]
_REMOTE = ["I want to work from home", "remote work please", "a job from my kitchen table", "telework only"]
_REMOTE += [f"home office job wanted number {n}" for n in range(20)]
_NEITHER = ["what does a welder earn", "how do I become a nurse", "hello there", "tell me about plumbers"]
_NEITHER += [f"what is the pay of job number {n}" for n in range(20)]
DATA = (
    [Labelled(t, ("avoid:nights",)) for t in _NIGHT]
    + [Labelled(t, ("want:remote",)) for t in _REMOTE]
    + [Labelled(t, ()) for t in _NEITHER]
)


def read(labeller, text, embeddings):
    return labeller.read([text], embed(embeddings, [text]))


def test_a_labeller_learns_its_labels_and_chooses_thresholds_on_held_out_messages():
    embeddings = HashEmbeddings()
    labeller = train(embeddings, DATA)
    assert labeller.labels == ("avoid:nights", "want:remote")
    assert any(item.validation for item in DATA) and not all(item.validation for item in DATA)
    assert all(0.2 <= t <= 0.8 for t in labeller.thresholds)
    assert read(labeller, "I refuse overnight work", embeddings) == ("avoid:nights",)
    assert read(labeller, "home office job wanted", embeddings) == ("want:remote",)
    assert read(labeller, "what is the pay of a welder", embeddings) == ()


def test_training_is_deterministic():
    embeddings = HashEmbeddings()
    one, two = train(embeddings, DATA), train(embeddings, DATA)
    vectors = embed(embeddings, _NIGHT[:3])
    assert np.array_equal(one.thresholds, two.thresholds)
    assert np.array_equal(one.probabilities(_NIGHT[:3], vectors), two.probabilities(_NIGHT[:3], vectors))


def test_a_message_is_labelled_by_any_of_its_clauses():
    embeddings = HashEmbeddings()
    labeller = train(embeddings, DATA)
    parts = ["I refuse overnight work", "home office job wanted"]
    assert labeller.read(parts, embed(embeddings, parts)) == ("avoid:nights", "want:remote")


def test_another_embedder_has_another_fingerprint():
    assert fingerprint(HashEmbeddings(64)) != fingerprint(HashEmbeddings(128))
    assert fingerprint(HashEmbeddings(64)) == fingerprint(HashEmbeddings(64))


def test_the_labeller_is_kept_on_disk_and_a_damaged_file_is_trained_again(tmp_path, monkeypatch):
    embeddings = HashEmbeddings(96)
    monkeypatch.setattr(learned, "labelled", lambda: DATA)
    monkeypatch.setattr(learned, "_CACHE", {})
    first = labeller_for(embeddings, tmp_path)
    (stored,) = tmp_path.glob("labeller-*.pkl")
    monkeypatch.setattr(learned, "_CACHE", {})
    assert np.array_equal(labeller_for(embeddings, tmp_path).thresholds, first.thresholds)
    stored.write_bytes(b"not a labeller")
    monkeypatch.setattr(learned, "_CACHE", {})
    assert labeller_for(embeddings, tmp_path).labels == first.labels
    assert stored.read_bytes() != b"not a labeller"


def test_the_shipped_data_is_labelled_with_known_labels_and_every_label_is_taught():
    data = learned.labelled()
    assert len(data) >= 3000
    labels = [label for item in data for label in item.labels]
    kinds = {label.partition(":")[0] for label in labels}
    assert kinds <= {"asks", "avoid", "want", "education", "no_degree", "quick", "cheap", "ref"}
    counts = {label: labels.count(label) for label in set(labels)}
    assert min(counts.values()) >= 30, sorted(counts.items(), key=lambda kv: kv[1])[:3]
    held = [item for item in data if item.validation]
    assert 0.15 <= len(held) / len(data) <= 0.25
    assert sum(not item.labels for item in data) >= 300  # messages that state nothing


@pytest.mark.model
def test_the_shipped_labeller_reads_situations_and_questions_it_was_not_taught(bundled_bot):
    reader = bundled_bot.reader
    cases = {
        "Seeing blood makes me queasy and I never want to study at a university.": {
            "avoid:blood",
            "no_degree",
        },
        "My kids are small so I need something I can do from my own house.": {"want:remote"},
        "Do firefighters have to do 24 hour shifts?": {"asks:long_shifts"},
        "What's the typical salary for an accountant?": set(),
        "could you give me a bit more on that last one": {"ref:more"},
        "out of the ones you mentioned, which is easiest to break into": {"ref:choose"},
    }
    for text, expected in cases.items():
        vector = embed(reader.embeddings, [text])
        assert set(reader.labeller.read([text], vector)) == expected, text
