"""Career facts on the page: a card for the occupation of an answer, a bar chart of the median pay of
the occupations a ranking or comparison names, and the facts table of the Documents tab.

Every figure shown is the one a profile states, with the sentence it comes from; document text is
shown as text, never as markup.
"""

from __future__ import annotations

import re

import gradio as gr
import pandas as pd

from careerbot.answer import Answer
from careerbot.bot import CareerBot
from careerbot.facts import Evidence, Facts

__all__ = [
    "FACTS_HEADERS",
    "FACTS_TYPES",
    "FACTS_WIDTHS",
    "chart_update",
    "facts_card",
    "facts_rows",
    "facts_updates",
    "pay_chart",
]

FACTS_HEADERS = ["Occupation", "Median pay ($ a year)", "Projected growth (%)", "Entry education", "Training"]
FACTS_TYPES = ["str", "number", "number", "str", "str"]
FACTS_WIDTHS = ["30%", "14%", "14%", "20%", "22%"]


def facts_card(bot: CareerBot, answer: Answer) -> str:
    """A Markdown card of the answer's occupation (one occupation only): pay, outlook, education,
    training, each with the sentence it comes from; "" when the answer is not about one occupation."""
    if len(answer.occupations) != 1:
        return ""
    facts = bot.facts(answer.occupations[0])
    if facts is None:
        return ""
    rows = [
        ("Median pay", _pay(facts), facts.pay.evidence if facts.pay else None),
        ("Outlook", _growth(facts), facts.growth.evidence if facts.growth else None),
        ("Entry education", _education(facts), facts.education.evidence if facts.education else None),
        ("Training", _training(facts), facts.training.evidence if facts.training else None),
    ]
    lines = [f"#### {_literal(facts.occupation)}"]
    for name, value, evidence in rows:
        lines.append(f"**{name}:** {value}" + (f"  \n{_cite(evidence)}" if evidence else ""))
    return "\n\n".join(lines)


def pay_chart(bot: CareerBot, answer: Answer) -> pd.DataFrame | None:
    """The stated yearly median pay of each occupation the answer names (two or more), in its order;
    None when fewer than two of them state one."""
    if len(answer.occupations) < 2:
        return None
    rows = []
    for occupation in answer.occupations:
        facts = bot.facts(occupation)
        if facts is not None and facts.median_annual_pay is not None:
            rows.append({"occupation": facts.occupation, "median pay ($ a year)": facts.median_annual_pay})
    return pd.DataFrame(rows) if len(rows) >= 2 else None


def facts_updates(bot: CareerBot, answer: Answer) -> tuple:
    """The card's and the chart's updates for a finished answer (partial answers leave them as they are)."""
    if not answer.citations:
        return gr.skip(), gr.skip()
    card = facts_card(bot, answer)
    return gr.update(value=card, visible=bool(card)), chart_update(pay_chart(bot, answer))


def chart_update(data: pd.DataFrame | None) -> dict:
    if data is None:
        return gr.update(visible=False)
    # Bars in the answer's order (a ranking's first is its top), not alphabetical.
    order = list(data["occupation"])
    # From zero: a cropped axis would make $61,590 against $61,550 look like a wide gap.
    return gr.update(
        value=data, visible=True, sort=order, y_lim=[0, None], x_label_angle=-30 if len(data) > 3 else 0
    )


def facts_rows(bot: CareerBot) -> list[list]:
    """Every indexed occupation's facts, one row each (empty cells where a profile states none)."""
    rows = []
    for facts in bot.facts():
        training = f"{facts.training.kind}, {facts.training.words}" if facts.training else ""
        rows.append(
            [
                facts.occupation,
                facts.median_annual_pay,
                facts.growth_percent,
                facts.entry_education or "",
                training,
            ]
        )
    return rows


def _pay(facts: Facts) -> str:
    pay = facts.pay
    if pay is None:
        return "not stated in the profile"
    per = "an hour" if pay.per == "hour" else "a year"
    year = f" ({pay.year})" if pay.year else ""
    return f"{_literal(pay.text)} {per}{year}"


def _growth(facts: Facts) -> str:
    growth = facts.growth
    if growth is None:
        return "not stated in the profile"
    period = f" ({growth.period})" if growth.period else ""
    return f"{_literal(growth.words)}{period}"


def _education(facts: Facts) -> str:
    education = facts.education
    if education is None:
        return "not stated in the profile"
    return f"{education.level} ({_literal(education.words)})"


def _training(facts: Facts) -> str:
    training = facts.training
    return (
        f"{_literal(training.kind)}, {_literal(training.words)}" if training else "not stated in the profile"
    )


def _cite(evidence: Evidence) -> str:
    source = evidence.source.replace("`", "")
    return f"<small>“{_literal(evidence.sentence)}” · {_literal(evidence.section)} · `{source}`</small>"


def _literal(text: str) -> str:
    """Document text shown as written, not as Markdown or HTML."""
    return re.sub(r"([\\`*_{}\[\]<>()#+!|~$])", r"\\\1", text)
