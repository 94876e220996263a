"""The demo's menu, routing, sample needs, wish and consultation: complete and idempotent."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from dandelion.catalog.models import ServiceCategory, ServiceItem
from dandelion.demo.demo_needs import demo_needs_load
from dandelion.needs.models import MicroWish, Need, NeedEvent, NeedReview, Problem, RoutingRule
from dandelion.needs.workflow import ALLOWED_MOVES

pytestmark = pytest.mark.django_db


def test_demo_needs_load_is_complete_and_idempotent():
    call_command("load_demo", stdout=StringIO())
    assert ServiceCategory.objects.count() == 6
    assert ServiceItem.objects.count() == 17
    assert RoutingRule.objects.count() == 12
    states = Counter(Need.objects.values_list("state", flat=True))
    assert states == {"closed": 2, "in_progress": 1, "submitted": 1, "accepted": 1, "dispatched": 1}
    assert NeedReview.objects.filter(state="open").count() == 1
    assert MicroWish.objects.filter(state="open").count() == 1
    assert Problem.objects.get().consultations.count() == 1
    for event in NeedEvent.objects.all():
        assert (event.from_state, event.to_state) in ALLOWED_MOVES
    events = NeedEvent.objects.count()
    assert demo_needs_load() == Counter()
    assert NeedEvent.objects.count() == events and Need.objects.count() == 6
