"""Career facts on the page: the card of an answer's occupation, the pay chart of a comparison or
ranking, the facts table of the Documents tab; in Debian's chromium against `python app.py`."""

from __future__ import annotations

import pytest

from careerbot.answer import Answer
from careerbot.answer.rank import rank
from careerbot.web.facts import chart_update, facts_card, facts_rows, pay_chart
from tests.test_web_browser import ask, browser, expect_welcome, last_answer, page, server, shoot

__all__ = ["browser", "page", "server"]  # the fixtures, shared with the page tests

pytestmark = pytest.mark.model


def test_card_for_one_occupation_quotes_its_sentences(bundled_bot):
    answer = bundled_bot.ask("What does an electrician earn?")
    card = facts_card(bundled_bot, answer)
    assert card.startswith("#### Electrician")
    assert r"**Median pay:** \$61,590 a year (2023)" in card
    assert "Preferred Level of Experience" in card  # where the training length is said
    assert facts_card(bundled_bot, Answer("two", (), ("Electrician", "Plumber"))) == ""


def test_card_says_what_a_profile_does_not_state(bundled_bot):
    card = facts_card(bundled_bot, Answer("x", (), ("Industrial Production Manager",)))
    assert "**Median pay:** not stated in the profile" in card


def test_chart_follows_the_ranking_order(bundled_bot):
    ranking = rank(bundled_bot.facts(), bundled_bot.profile, measure="pay", descending=False, limit=4)
    data = pay_chart(bundled_bot, ranking)
    assert list(data["occupation"]) == list(ranking.occupations)
    assert list(data["median pay ($ a year)"]) == [40760, 42000, 45850, 48940]
    update = chart_update(data)
    assert update["y_lim"] == [0, None]  # bars from zero: close figures look close
    assert update["sort"] == list(ranking.occupations)
    assert pay_chart(bundled_bot, Answer("x", (), ("Electrician",))) is None


def test_facts_rows_one_per_occupation(bundled_bot):
    rows = facts_rows(bundled_bot)
    assert len(rows) == 44
    assert ["Electrician", 61590, 11.0, "high school", "apprenticeship, four to five years"] in rows


def test_page_shows_the_card_the_chart_and_the_table(page):
    expect_welcome(page)
    ask(page, "What does an electrician earn?")
    assert "$61,590" in last_answer(page).inner_text()
    card = page.locator("#facts-card")
    card.get_by_text("Median pay:").wait_for()
    assert "$61,590 a year" in card.inner_text()
    assert "apprenticeship, four to five years" in card.inner_text()
    card.scroll_into_view_if_needed()
    shoot(page, "facts-1-card")

    ask(page, "Compare electrician and plumber")
    chart = page.locator("#facts-chart")
    chart.locator("canvas, svg").first.wait_for()
    assert not card.is_visible()  # the card is for one occupation
    chart.scroll_into_view_if_needed()
    shoot(page, "facts-2-chart")

    page.get_by_role("tab", name="Documents").click()
    table = page.locator("#facts-table")
    table.get_by_text("Accountant").first.wait_for()
    table.locator("input[placeholder^='Search']").fill("Pharmacist")
    table.get_by_text("doctoral/professional").filter(visible=True).first.wait_for()
    table.scroll_into_view_if_needed()
    shoot(page, "facts-3-table")
