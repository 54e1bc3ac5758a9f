"""Incremental indexing through the LangChain indexing API (hash embedder: same seams, no model)."""

import shutil

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


def test_index_built_by_another_model_asks_for_rebuild(fake_bot, seed_corpus, tmp_path):
    fake_bot.index()
    other = CareerBot(corpus=seed_corpus, store=fake_bot.settings.store, embedder="hash")
    assert other.retrieve("plant manager")  # same model: fine
    shutil.copy(fake_bot.settings.store / "manifest.json", tmp_path / "m.json")
    manifest = (tmp_path / "m.json").read_text().replace('"hash-256"', '"some-other-model"')
    (fake_bot.settings.store / "manifest.json").write_text(manifest)
    again = CareerBot(corpus=seed_corpus, store=fake_bot.settings.store, embedder="hash")
    with pytest.raises(IndexMismatchError, match="--rebuild"):
        again.retrieve("plant manager")
    with pytest.raises(IndexMismatchError):
        again.index()
    assert again.index(rebuild=True).added > 0


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
