"""Incremental indexing through the LangChain indexing API (hash embedder: same seams, no model)."""

import shutil

import numpy as np
import pytest

from careerbot import CareerBot, CareerBotError, IndexMismatchError

LOGISTICIAN = """Position Title | Logistician |
---|---|
Alternate Title(s) | Logistics Analyst, Supply Chain Analyst |
Brief job description | Logisticians analyze and coordinate an organization's supply chain. |
Job Skills | Organizational skills. Logisticians must keep track of many moving parts. |
"""


def test_second_run_embeds_nothing(fake_bot):
    first = fake_bot.index()
    assert first.added > 0 and first.documents == 1 and not first.problems
    second = fake_bot.index()
    assert (second.added, second.updated, second.deleted) == (0, 0, 0)
    assert second.skipped == first.added


def test_editing_one_profile_reembeds_only_its_changed_chunks(fake_bot, seed_corpus):
    (seed_corpus / "logistician.txt").write_text(LOGISTICIAN, encoding="utf-8")
    fake_bot.index()
    edited = LOGISTICIAN.replace("many moving parts", "many shipments at once")
    (seed_corpus / "logistician.txt").write_text(edited, encoding="utf-8")
    report = fake_bot.index()
    assert (report.added, report.deleted) == (1, 1)
    assert report.skipped == report.chunks - 1
    texts = [p.text for p in fake_bot.retrieve("logistician shipments", k=20)]
    assert any("many shipments at once" in t for t in texts)
    assert not any("many moving parts" in t for t in texts)


def test_deleting_a_file_removes_its_chunks(fake_bot, seed_corpus):
    (seed_corpus / "logistician.txt").write_text(LOGISTICIAN, encoding="utf-8")
    before = fake_bot.index()
    (seed_corpus / "logistician.txt").unlink()
    report = fake_bot.index()
    assert report.deleted == 2 and report.documents == 1
    assert fake_bot.status().chunks == before.chunks - 2
    assert "Logistician" not in fake_bot.occupations()
    assert all(p.source != "logistician.txt" for p in fake_bot.retrieve("logistician", k=50))


def test_a_broken_edit_keeps_the_last_good_version(fake_bot, seed_corpus):
    (seed_corpus / "logistician.txt").write_text(LOGISTICIAN, encoding="utf-8")
    good = fake_bot.index()
    (seed_corpus / "logistician.txt").write_bytes(b"\x00\x01binary garbage")
    report = fake_bot.index()
    assert [(p.source, "binary" in p.reason) for p in report.problems] == [("logistician.txt", True)]
    assert report.deleted == 0 and report.chunks == good.chunks
    assert "Logistician" in fake_bot.occupations()


def test_rebuild_starts_from_nothing(fake_bot):
    first = fake_bot.index()
    rebuilt = fake_bot.index(rebuild=True)
    assert rebuilt.added == first.added and rebuilt.skipped == 0
    assert fake_bot.status().chunks == first.chunks


def test_missing_corpus_is_an_error_and_keeps_the_index(fake_bot, tmp_path):
    built = fake_bot.index()
    moved = CareerBot(corpus=tmp_path / "nowhere", store=fake_bot.settings.store, embedder="hash")
    with pytest.raises(CareerBotError, match="does not exist"):
        moved.index()
    assert fake_bot.status().chunks == built.chunks


def test_an_index_built_by_another_model_is_rebuilt_by_the_next_index(fake_bot, seed_corpus, tmp_path):
    fake_bot.index()
    other = CareerBot(corpus=seed_corpus, store=fake_bot.settings.store, embedder="hash")
    assert other.retrieve("plant manager")  # same model: fine
    shutil.copy(fake_bot.settings.store / "manifest.json", tmp_path / "m.json")
    manifest = (tmp_path / "m.json").read_text().replace('"hash-256"', '"some-other-model"')
    (fake_bot.settings.store / "manifest.json").write_text(manifest)
    again = CareerBot(corpus=seed_corpus, store=fake_bot.settings.store, embedder="hash")
    with pytest.raises(IndexMismatchError, match="run `careerbot index` to rebuild it"):
        again.retrieve("plant manager")  # its vectors can't be searched with this model's
    report = again.index()
    assert report.added == report.chunks > 0
    assert "the index was built with some-other-model, the configured model is hash-256" in report.summary()
    assert again.retrieve("plant manager")


def test_readme_and_hidden_files_are_not_profiles(fake_bot, seed_corpus):
    (seed_corpus / "README.md").write_text("# How to write profiles\n\n## Rows\nText.\n")
    (seed_corpus / ".draft.txt").write_text("Draft\nNot ready.\n")
    assert fake_bot.index().documents == 1


def test_links_out_of_the_corpus_are_not_followed(fake_bot, seed_corpus, tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("Secret Agent\nA secret profile outside the corpus.\n")
    (seed_corpus / "secret.txt").symlink_to(outside)
    report = fake_bot.index()
    assert report.documents == 1
    assert "Secret Agent" not in fake_bot.occupations()


def test_add_copies_into_the_corpus_and_indexes(fake_bot, seed_corpus, tmp_path):
    fake_bot.index()
    new = tmp_path / "logistician.txt"
    new.write_text(LOGISTICIAN, encoding="utf-8")
    report = fake_bot.add([new])
    assert not report.problems and report.added == 2
    assert (seed_corpus / "logistician.txt").read_text(encoding="utf-8") == LOGISTICIAN
    assert "Logistician" in fake_bot.occupations()


def test_add_never_overwrites_a_different_file_without_force(fake_bot, seed_corpus, tmp_path):
    mine = seed_corpus / "logistician.txt"
    mine.write_text(LOGISTICIAN, encoding="utf-8")
    theirs = tmp_path / "logistician.txt"
    theirs.write_text(LOGISTICIAN.replace("moving parts", "pallets"), encoding="utf-8")
    report = fake_bot.add([theirs])
    assert "--force" in report.problems[0].reason
    assert mine.read_text(encoding="utf-8") == LOGISTICIAN
    assert not fake_bot.add([theirs], force=True).problems
    assert "pallets" in mine.read_text(encoding="utf-8")


def test_add_refuses_documents_that_are_not_profiles(fake_bot, seed_corpus, tmp_path):
    broken = tmp_path / "empty.txt"
    broken.write_text("   ")
    report = fake_bot.add([broken])
    assert report.problems[0].source == "empty.txt" and "empty" in report.problems[0].reason
    assert not (seed_corpus / "empty.txt").exists()


def test_safe_file_names_stay_in_the_folder():
    from careerbot.bot import safe_file_name

    assert safe_file_name("../../etc/passwd") == "passwd"
    assert safe_file_name("C:\\\\docs\\\\My Job?.TXT") == "My-Job.txt"
    assert safe_file_name("..") == "document"


# -- what a re-index reads and writes ------------------------------------------------------------


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """The documents the indexer parses, in order."""
    from careerbot.index import indexer

    parsed: list[str] = []

    def read_profile(path, corpus, **limits):
        parsed.append(path.name)
        return real_read_profile(path, corpus, **limits)

    real_read_profile = indexer.read_profile
    monkeypatch.setattr(indexer, "read_profile", read_profile)
    return parsed


def test_nothing_changed_reads_no_document_and_writes_nothing(fake_bot, seed_corpus, reads):
    (seed_corpus / "logistician.txt").write_text(LOGISTICIAN, encoding="utf-8")
    first = fake_bot.index()
    store = fake_bot.settings.store

    def ours() -> dict:  # Chroma's own files change when it opens them; the lock holds our PID
        files = [
            path for path in store.rglob("*") if "chroma" not in path.parts and path.name != "index.lock"
        ]
        return {path: path.stat().st_mtime_ns for path in files}

    written = ours()
    reads.clear()
    (seed_corpus / "logistician.txt").touch()  # a new time, the same content
    again = fake_bot.index()
    assert reads == []
    assert (again.documents, again.chunks, again.skipped, again.added) == (2, first.chunks, first.chunks, 0)
    # Nothing was written: not the manifest, not the search files, not the records.
    assert ours() == written


def test_only_new_and_edited_documents_are_read(fake_bot, seed_corpus, reads):
    fake_bot.index()
    (seed_corpus / "logistician.txt").write_text(LOGISTICIAN, encoding="utf-8")
    reads.clear()
    assert fake_bot.index().added == 2
    assert reads == ["logistician.txt"]
    (seed_corpus / "logistician.txt").write_text(LOGISTICIAN.replace("parts", "pieces"), encoding="utf-8")
    reads.clear()
    assert fake_bot.index().added == 1
    assert reads == ["logistician.txt"]


def test_a_broken_document_is_reported_on_every_run(fake_bot, seed_corpus):
    (seed_corpus / "notes.txt").write_bytes(b"\x00\x01 not text")
    assert [p.source for p in fake_bot.index().problems] == ["notes.txt"]
    assert [p.source for p in fake_bot.index().problems] == ["notes.txt"]


def test_other_chunk_settings_read_every_document_again(fake_bot, seed_corpus, tmp_path, reads):
    built = fake_bot.index()
    smaller = CareerBot(corpus=seed_corpus, store=fake_bot.settings.store, embedder="hash", chunk_chars=200)
    reads.clear()
    report = smaller.index()
    assert reads == ["industrial-production-manager.txt"]
    clean = CareerBot(corpus=seed_corpus, store=tmp_path / "clean", embedder="hash", chunk_chars=200).index()
    assert report.chunks == clean.chunks > built.chunks
    assert smaller.doctor().healthy


def test_a_run_that_did_not_finish_is_followed_by_a_full_pass(fake_bot, seed_corpus, reads):
    from careerbot.index.manifest import UNFINISHED

    fake_bot.index()
    (fake_bot.settings.store / UNFINISHED).touch()  # as a killed run leaves it
    reads.clear()
    fake_bot.index()
    assert reads == ["industrial-production-manager.txt"]
    assert not (fake_bot.settings.store / UNFINISHED).exists()


def test_a_store_that_lost_its_chunks_behind_the_manifest_is_filled_again(fake_bot, seed_corpus):
    (seed_corpus / "logistician.txt").write_text(LOGISTICIAN, encoding="utf-8")
    built = fake_bot.index()
    store = fake_bot.store
    keys = store.records.list_keys(group_ids=["logistician.txt"])
    store.vectors.delete(keys)
    store.records.delete_keys(keys)  # records and vectors agree, but not with the manifest
    report = fake_bot.index()
    assert (report.added, report.chunks) == (2, built.chunks)
    assert fake_bot.doctor().healthy


def test_search_files_after_edits_equal_a_clean_builds(fake_bot, seed_corpus, tmp_path):
    from careerbot.index.search import SearchIndex

    (seed_corpus / "logistician.txt").write_text(LOGISTICIAN, encoding="utf-8")
    (seed_corpus / "welder.md").write_text(
        "# Welder\n\nAlso called fabricators.\n\n## Duties\nWelders join metal.\n"
    )
    fake_bot.index()
    (seed_corpus / "welder.md").unlink()
    (seed_corpus / "logistician.txt").write_text(LOGISTICIAN.replace("parts", "pieces"), encoding="utf-8")
    (seed_corpus / "baker.md").write_text("# Baker\n\n## Duties\nBakers bake bread.\n")
    fake_bot.index()
    clean = CareerBot(corpus=seed_corpus, store=tmp_path / "clean", embedder="hash")
    clean.index()

    def search(bot: CareerBot) -> SearchIndex:
        return SearchIndex.load(bot.settings.store, bot._manifest().search)

    got, expected = search(fake_bot), search(clean)
    assert got.chunks == expected.chunks and got.names == expected.names
    assert got.sources == expected.sources and "welder.md" not in got.sources
    assert (got.chunk_vectors == expected.chunk_vectors).all()
    assert (got.name_owner == expected.name_owner).all()
    assert np.allclose(got.name_vectors, expected.name_vectors, atol=1e-6)  # normalised once more
    for text in ["logistician pieces", "bakers bread", "plant manager"]:
        assert (got.lexical_scores(text) == expected.lexical_scores(text)).all()


def test_add_never_saves_two_documents_under_one_name(fake_bot, seed_corpus, tmp_path):
    first = tmp_path / "a" / "logistician.txt"
    second = tmp_path / "b" / "logistician.txt"
    for path, text in [(first, LOGISTICIAN), (second, LOGISTICIAN.replace("moving parts", "pallets"))]:
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8")
    report = fake_bot.add([first, second])
    assert [(p.source, p.reason) for p in report.problems] == [
        (
            "logistician.txt",
            "it would be saved as logistician.txt, like logistician.txt before it; rename one",
        )
    ]
    assert (seed_corpus / "logistician.txt").read_text(encoding="utf-8") == LOGISTICIAN
