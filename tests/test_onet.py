"""The O*NET importer on a small release in O*NET's own format (tab-separated files with header rows)."""

import zipfile

import pytest
from click.testing import CliRunner

from careerbot import CareerBot, CareerBotError
from careerbot.cli import cli
from careerbot.documents import read_profile

CODE = "11-3051.00"
FILE = f"{CODE}-industrial-production-managers.txt"
RELEASE = {
    "Occupation Data.txt": [
        ["O*NET-SOC Code", "Title", "Description"],
        [CODE, "Industrial Production Managers", 'Plan, direct, or coordinate the work of a "plant".'],
        ["51-1011.00", "First-Line Supervisors of Production and Operating Workers", "Directly supervise."],
        ["17-2112.00", "Industrial Engineers", "Design, develop, test, and evaluate integrated systems."],
    ],
    "Alternate Titles.txt": [
        ["O*NET-SOC Code", "Title", "Alternate Title", "Short Title", "Source(s)"],
        [CODE, "Industrial Production Managers", "Manufacturing Director", "", "08"],
        [CODE, "Industrial Production Managers", "Plant Manager", "", "08,09,10"],
        [CODE, "Industrial Production Managers", "Operations | Plant Lead", "", "09"],
        [CODE, "Industrial Production Managers", "Production Manager", "PM", "09,10"],
    ],
    "Task Statements.txt": [
        ["O*NET-SOC Code", "Title", "Task ID", "Task", "Task Type", "Incumbents Responding", "Date"],
        [CODE, "Industrial Production Managers", "1", "Review production schedules.", "Supplemental", "", ""],
        [CODE, "Industrial Production Managers", "2", "Direct and coordinate production.", "Core", "", ""],
    ],
    "Job Zones.txt": [
        ["O*NET-SOC Code", "Title", "Job Zone", "Date", "Domain Source"],
        [CODE, "Industrial Production Managers", "4", "08/2023", "Analyst"],
    ],
    "Education, Training, and Experience.txt": [
        ["O*NET-SOC Code", "Title", "Element ID", "Element Name", "Scale ID", "Category", "Data Value"],
        [CODE, "Industrial Production Managers", "2.D.1", "Required Level of Education", "RL", "6", "61.5"],
        [CODE, "Industrial Production Managers", "2.D.1", "Required Level of Education", "RL", "8", "21.2"],
        [CODE, "Industrial Production Managers", "2.D.1", "Required Level of Education", "RL", "2", "4.0"],
        [CODE, "Industrial Production Managers", "3.A.1", "Related Work Experience", "RW", "9", "50.0"],
    ],
    "Skills.txt": [
        [
            "O*NET-SOC Code",
            "Title",
            "Element ID",
            "Element Name",
            "Scale ID",
            "Data Value",
            "Recommend Suppress",
        ],
        [CODE, "Industrial Production Managers", "2.A.2.a", "Critical Thinking", "IM", "4.00", "N"],
        [CODE, "Industrial Production Managers", "2.B.1.a", "Coordination", "IM", "4.12", "N"],
        [CODE, "Industrial Production Managers", "2.B.1.a", "Coordination", "LV", "5.00", "N"],
        [CODE, "Industrial Production Managers", "2.A.1.e", "Mathematics", "IM", "3.90", "Y"],
    ],
    "Related Occupations.txt": [
        ["O*NET-SOC Code", "Related O*NET-SOC Code", "Relatedness Tier", "Index"],
        [CODE, "17-2112.00", "Primary-Short", "2"],
        [CODE, "51-1011.00", "Primary-Short", "1"],
    ],
}


@pytest.fixture
def release(tmp_path):
    folder = tmp_path / "db_29_1_text"
    folder.mkdir()
    for name, rows in RELEASE.items():
        (folder / name).write_text("".join("\t".join(row) + "\n" for row in rows), encoding="utf-8")
    return folder


def test_one_profile_per_occupation_in_the_pipe_table_format(release, tmp_path):
    out = tmp_path / "profiles"
    report = CareerBot(corpus=out, embedder="hash").import_onet(release)
    assert len(report.written) == 3 and not report.conflicts
    assert FILE in report.written

    profile = read_profile(out / FILE, out, max_bytes=10**6)
    assert profile.occupation == "Industrial Production Managers"
    assert profile.section("O*NET-SOC Code").text == CODE
    # Titles most sources report come first; a pipe inside a value can't end it early.
    assert profile.aliases[:4] == ("Plant Manager", "Production Manager", "PM", "Manufacturing Director")
    assert "Operations / Plant Lead" in profile.aliases
    description = profile.section("Brief job description").text
    assert description == 'Plan, direct, or coordinate the work of a "plant".'
    assert profile.section("Education & Training Level").text == "Bachelor's degree"
    assert profile.section("Education & Training Level Description").text == (
        "In O*NET's survey of workers, 62% said this job requires a bachelor's degree, and 21% a "
        "master's degree. O*NET places it in Job Zone 4 of 5: considerable preparation needed."
    )
    assert profile.section("Job Profile").text.splitlines() == [
        "Direct and coordinate production.",  # core tasks before supplemental ones
        "Review production schedules.",
    ]
    assert profile.section("Job Skills").text == (
        "The skills O*NET rates most important for this job: Coordination, Critical Thinking."
    )
    assert profile.section("Related Occupations").text == (
        "First-Line Supervisors of Production and Operating Workers; Industrial Engineers"
    )
    resources = profile.section("Resources").text
    assert "O*NET" in resources and "CC BY 4.0" in resources and CODE in resources


def test_occupation_data_alone_is_enough(tmp_path):
    only = tmp_path / "Occupation Data.txt"
    only.write_text("".join("\t".join(r) + "\n" for r in RELEASE["Occupation Data.txt"]), encoding="utf-8")
    report = CareerBot(corpus=tmp_path / "out", embedder="hash").import_onet(only)
    assert len(report.written) == 3
    profile = read_profile(tmp_path / "out" / FILE, tmp_path / "out", max_bytes=10**6)
    filled = [s.name for s in profile.filled_sections]
    assert filled == ["O*NET-SOC Code", "Brief job description", "Resources"]


def test_the_zip_gives_the_same_profiles(release, tmp_path):
    archive = tmp_path / "db_29_1_text.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in release.iterdir():
            zipped.write(path, f"db_29_1_text/{path.name}")
    bot = CareerBot(corpus=tmp_path / "a", embedder="hash")
    bot.import_onet(release)
    bot.import_onet(archive, out=tmp_path / "b")
    assert (tmp_path / "a" / FILE).read_text() == (tmp_path / "b" / FILE).read_text()


def test_existing_files_are_never_overwritten(release, tmp_path):
    out = tmp_path / "corpus"
    out.mkdir()
    (out / FILE).write_text("Position Title | My own notes |\n")
    bot = CareerBot(corpus=out, embedder="hash")
    report = bot.import_onet(release)
    assert report.conflicts == [(FILE, f"a different file of this name is already in {out}")]
    assert (out / FILE).read_text() == "Position Title | My own notes |\n"
    again = bot.import_onet(release)
    assert (len(again.written), again.unchanged, len(again.conflicts)) == (0, 2, 1)


def test_occupations_already_described_are_not_imported(release, seed_corpus, tmp_path):
    bot = CareerBot(corpus=seed_corpus, store=tmp_path / "store", embedder="hash")
    report = bot.import_onet(release)
    assert report.conflicts == [
        (FILE, "Industrial Production Managers is already described by industrial-production-manager.txt")
    ]
    assert not (seed_corpus / FILE).exists() and len(report.written) == 2
    assert not bot.index().problems


def test_not_an_onet_release_is_a_clear_error(tmp_path):
    bot = CareerBot(corpus=tmp_path / "out", embedder="hash")
    with pytest.raises(CareerBotError, match=r"has no 'Occupation Data\.txt'"):
        bot.import_onet(tmp_path)
    (tmp_path / "Occupation Data.txt").write_text("Code\tName\n1\tX\n")
    with pytest.raises(CareerBotError, match="lacks the columns"):
        bot.import_onet(tmp_path)


def test_cli_import_then_index(release, tmp_path):
    out, store = tmp_path / "corpus", tmp_path / "store"
    env = {"CAREERBOT_EMBEDDER": "hash"}
    runner = CliRunner()
    imported = runner.invoke(cli, ["import-onet", str(release), "--out", str(out)], env=env)
    assert imported.exit_code == 0, imported.output
    assert "wrote 3 profiles" in imported.output and f"careerbot index --corpus {out}" in imported.output
    indexed = runner.invoke(cli, ["index", "--corpus", str(out), "--store", str(store)], env=env)
    assert indexed.exit_code == 0, indexed.output
    assert indexed.output.startswith("3 documents") and len(indexed.output.splitlines()) == 1  # no problems
    bot = CareerBot(corpus=out, store=store, embedder="hash")
    assert bot.retrieve("plant manager")[0].source == FILE
