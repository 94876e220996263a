"""Simultaneous sign-ups on real parallel connections never exceed the capacity."""

import pytest

from dandelion.points.tests.concurrency import in_thread, run_parallel, shared_database
from dandelion.volunteering.models import SignUp
from dandelion.volunteering.services import signup_create

# serialized_rollback like the browser tests: the flush after a transactional test must not
# re-create content types under a browser test that restores the migrated rows next.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_thirty_simultaneous_sign_ups_for_five_places(world, make_activity, make_worker, tmp_path):
    activity = make_activity(capacity=5)
    people = [make_worker(name=f"p{i}", phone=f"1330000{i:04d}") for i in range(30)]
    with shared_database(tmp_path):
        results = run_parallel(lambda i: signup_create(activity_id=activity.pk, user=people[i]), 30)
        assert [kind for kind, _ in results] == ["ok"] * 30

        def counts():
            rows = SignUp.objects.filter(activity=activity)
            return (
                rows.filter(status="confirmed").count(),
                rows.filter(status="waiting").count(),
            )

        assert in_thread(counts) == (5, 25)
