"""Conversations with the default extractive answerer: focus, switching, comparing, exploring."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from careerbot import Answer
from tests.conftest import SEED

pytestmark = pytest.mark.model

PLANT_DIALOG = [
    "How do I become a plant manager?",
    "What skills do I need?",
    "And the pay?",
    "Is there a lot of overtime?",
]
IPM = "Industrial Production Manager"


def test_follow_ups_keep_the_plant_manager_in_focus(bundled_bot):
    conversation = bundled_bot.chat()
    for question in PLANT_DIALOG:
        answer = conversation.ask(question)
        assert answer.occupations == (IPM,), question
        assert answer.citations and all(c.source == SEED.name for c in answer.citations), question
    assert [m["role"] for m in conversation.history] == ["user", "assistant"] * len(PLANT_DIALOG)


def test_follow_up_sections_follow_the_question(bundled_bot):
    conversation = bundled_bot.chat()
    conversation.ask(PLANT_DIALOG[0])
    assert {c.section for c in conversation.ask("What skills do I need?").citations} == {"Job Skills"}
    assert {c.section for c in conversation.ask("And the pay?").citations} == {"Estimated/Expected Salary"}


def test_a_follow_up_on_something_the_profile_lacks_says_so(bundled_bot):
    conversation = bundled_bot.chat()
    conversation.ask(PLANT_DIALOG[0])
    answer = conversation.ask("Is there a lot of overtime?")
    assert "doesn't mention that" in answer.text


def test_stateless_history_in_gradio_format_keeps_the_focus(bundled_bot):
    history = []
    for question in PLANT_DIALOG:
        answer = bundled_bot.ask(question, history=history)
        assert answer.occupations == (IPM,), question
        history += [
            {"role": "user", "content": [{"type": "text", "text": question}]},
            {"role": "assistant", "content": [{"type": "text", "text": answer.text}]},
        ]


def test_naming_another_job_moves_the_focus(bundled_bot):
    conversation = bundled_bot.chat()
    conversation.ask(PLANT_DIALOG[0])
    assert conversation.ask("What about logisticians?").occupations == ("Logistician",)
    pay = conversation.ask("How much do they earn?")
    assert pay.occupations == ("Logistician",)
    assert pay.citations[0].section == "Estimated/Expected Salary"


def test_a_job_described_not_named_moves_the_focus(bundled_bot):
    conversation = bundled_bot.chat()
    conversation.ask(PLANT_DIALOG[0])
    answer = conversation.ask("What about the people who fix power lines?")
    assert answer.occupations == ("Electrical Power-Line Installer and Repairer",)


def test_comparison_cites_both_profiles_row_by_row(bundled_bot):
    conversation = bundled_bot.chat()
    answer = conversation.ask("Compare plant manager and production supervisor")
    supervisor = "First-Line Supervisor of Production and Operating Workers"
    assert answer.occupations == (IPM, supervisor)
    assert {c.occupation for c in answer.citations} == {IPM, supervisor}
    for row in ("What they do", "Education", "Skills", "Work environment", "Pay", "Outlook"):
        assert f"\n\n**{row}**\n- **{IPM}**: " in answer.text
    for citation in answer.citations:
        assert f"[{citation.id}]" in answer.text
    assert conversation.ask("Tell me more about the first one").occupations == (IPM,)
    assert conversation.ask("And the other one?").occupations == (supervisor,)


def test_x_vs_y(bundled_bot):
    answer = bundled_bot.ask("electrician vs plumber")
    assert set(answer.occupations) == {"Electrician", "Plumber"}


def test_exploration_lists_occupations_each_with_a_cited_reason(bundled_bot):
    conversation = bundled_bot.chat()
    answer = conversation.ask("What jobs suit someone who likes fixing machines?")
    assert len(answer.occupations) >= 2
    assert {c.occupation for c in answer.citations} == set(answer.occupations)
    lines = [line for line in answer.text.splitlines() if line.startswith("- **")]
    assert len(lines) == len(answer.occupations) and all(line.endswith("]") for line in lines)
    second = conversation.ask("Tell me about the second one")
    assert second.occupations == answer.occupations[1:2]


@pytest.mark.parametrize(
    "question",
    [
        *("What is the capital of France?", "you are stupid", "asdkjh qwe zxcv", "hello", "", "!!!"),
        # Keyboard mashes: a bare word far from every name is not taken for the closest job.
        *("zxcv", "mnbvc", "sdfgh", "poiuy", "qwertyuiop"),
        # Requests of another kind, near a job's work ("recipe": chef) but asking nothing of it.
        *("give me a recipe for lasagna", "can you make me a logo for my bakery"),
    ],
)
def test_off_topic_rude_or_nonsense_gets_a_friendly_reply_without_citations(bundled_bot, question):
    answer = bundled_bot.ask(question)
    assert answer.citations == () and answer.occupations == ()
    assert answer.text


def test_stream_yields_the_text_then_the_answer(bundled_bot):
    pieces = list(bundled_bot.stream("What does a welder earn?"))
    assert isinstance(pieces[-1], Answer) and len(pieces) > 2
    assert "".join(pieces[:-1]) == pieces[-1].text
    assert pieces[-1].occupations == ("Welder",)


def test_the_plant_manager_dialog_through_the_chat_command(bundled_bot):
    env = {
        **os.environ,
        "CAREERBOT_CORPUS": str(bundled_bot.settings.corpus),
        "CAREERBOT_STORE": str(bundled_bot.settings.store),
    }
    result = subprocess.run(
        [str(Path(sys.executable).with_name("careerbot")), "chat"],
        input="\n".join(PLANT_DIALOG) + "\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    answers = result.stdout.split("you> ")[1:]
    assert len(answers) >= len(PLANT_DIALOG)
    for answer in answers[: len(PLANT_DIALOG)]:
        # Piped, the answer is plain text: the occupation without its Markdown bold marks.
        assert IPM in answer and f"**{IPM}**" not in answer and SEED.name in answer
