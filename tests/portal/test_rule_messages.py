"""A message about a missing clock names the clock as a reader knows it, in the
reader's language, never by its code."""

from datetime import date

import pytest
from django.utils import translation

from portal.errors import DomainError
from portal.models import RuleClock, RuleSet
from portal.rules import clock_for, clock_label, clock_of, rule_set_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_no_set_in_force_with_the_clock_names_it(language):
    rule = RuleClock.objects.filter(code="clue-acknowledge").first()

    with translation.override(language), pytest.raises(DomainError) as raised:
        clock_for("clue-acknowledge", on=date(2000, 1, 3))

    name = rule.name if language == "zh-hans" else rule.name_en
    assert name in raised.value.message
    assert "clue-acknowledge" not in raised.value.message


def test_a_set_without_the_clock_names_it():
    complaints = rule_set_for(RuleSet.Matter.COMPLAINT, date(2026, 5, 1))
    rule = RuleClock.objects.filter(code="clue-acknowledge").first()

    with translation.override("zh-hans"), pytest.raises(DomainError) as raised:
        clock_of(complaints, "clue-acknowledge")

    assert rule.name in raised.value.message
    assert "clue-acknowledge" not in raised.value.message


def test_a_clock_is_named_by_any_rule_set_that_knows_it_and_never_by_its_code():
    complaints = rule_set_for(RuleSet.Matter.COMPLAINT, date(2026, 5, 1))
    rule = RuleClock.objects.filter(code="clue-acknowledge").first()

    with translation.override("zh-hans"):
        assert clock_label("clue-acknowledge", complaints.pk) == rule.name
        assert clock_label("no-such-clock") == "办理时限"
    with translation.override("en"):
        assert clock_label("no-such-clock") == "Time limit"
