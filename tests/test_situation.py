"""The person's situation as dialog state: read from labels, kept until changed, shown as chips."""

from careerbot.understanding.situation import NO_DEGREE, Situation


def test_labels_become_the_situation_and_unknown_ones_are_ignored():
    situation = Situation.of(
        ["no_degree", "avoid:blood", "want:remote", "education:high school", "avoid:x", "asks:y"]
    )
    assert situation.no_degree and situation.avoids == ("blood",) and situation.wants == ("remote",)
    assert situation.education == "high school"
    assert situation.max_education == NO_DEGREE


def test_an_empty_situation_is_false_and_says_nothing():
    assert not Situation()
    assert Situation().chips() == [] and Situation().heading() == ""


def test_a_later_statement_adds_to_the_situation_and_a_want_replaces_its_deal_breaker():
    earlier = Situation.of(["avoid:people", "avoid:nights"])
    later = earlier.updated(Situation.of(["want:people", "quick"]))
    assert later.avoids == ("nights",)
    assert later.wants == ("people",)
    assert later.quick


def test_chips_are_words_and_each_can_be_removed():
    situation = Situation.of(["cheap", "avoid:away_from_home", "want:outdoors", "education:bachelor's"])
    assert situation.chips() == [
        "has bachelor's",
        "little money for training",
        "outdoors",
        "home every night",
    ]
    assert "home every night" not in situation.without("home every night").chips()
    assert situation.without("has bachelor's").education is None
    assert not situation.without("little money for training").cheap


def test_chips_sent_back_rebuild_the_same_situation():
    situation = Situation.of(["no_degree", "quick", "avoid:blood", "want:things", "education:master's"])
    assert Situation.from_chips(situation.chips()) == situation
    assert Situation.from_chips(["no blood", "something else"]) == Situation.of(["avoid:blood"])


def test_the_heading_acknowledges_needs_not_schooling():
    situation = Situation.of(["education:high school", "no_degree", "avoid:blood"])
    assert situation.heading() == "Without a degree, no blood"
    assert situation.to_dict()["chips"] == ["has high school", "without a degree", "no blood"]
