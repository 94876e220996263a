"""Domain events reach their subscribers only after the producer's transaction commits."""

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from dandelion.core import events
from dandelion.core.periodic import periodic_jobs, register_periodic

pytestmark = pytest.mark.django_db


@pytest.fixture
def received():
    got: list[dict] = []

    def handler(payload):
        got.append(payload)

    events.subscribe("tests.happened", handler)
    yield got
    events._handlers["tests.happened"].remove(handler)


def test_delivered_after_commit(received, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        events.publish("tests.happened", {"id": 1})
    assert received == []
    for callback in callbacks:
        callback()
    assert received == [{"id": 1}]


def test_rolled_back_change_announces_nothing(received, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                events.publish("tests.happened", {"id": 2})
                raise RuntimeError
        except RuntimeError:
            pass
    assert received == []


def test_one_failing_handler_does_not_stop_the_others(received):
    def broken(payload):
        raise ValueError("broken consumer")

    events._handlers["tests.happened"].insert(0, broken)
    try:
        with pytest.raises(ValueError):
            events.deliver("tests.happened", {"id": 3})
    finally:
        events._handlers["tests.happened"].remove(broken)
    assert received == [{"id": 3}]


def test_subscribing_twice_delivers_once(received):
    events.subscribe("tests.happened", events.handlers_for("tests.happened")[0])
    events.deliver("tests.happened", {"id": 4})
    assert received == [{"id": 4}]


def test_run_periodic_once_runs_each_job(capsys):
    calls = []
    register_periodic("tests.tick", every_seconds=60, run=lambda: calls.append(1) or "ticked")
    assert "tests.tick" in [job.name for job in periodic_jobs()]
    call_command("run_periodic", "--once", "--job", "tests.tick")
    assert calls == [1]
    assert "tests.tick: ticked" in capsys.readouterr().out


def test_run_periodic_refuses_an_unknown_job():
    with pytest.raises(CommandError, match="Unknown job"):
        call_command("run_periodic", "--once", "--job", "no.such.job")
