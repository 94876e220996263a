"""Domain events reach their subscribers only after the producer's transaction commits."""

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from dandelion.core import events
from dandelion.core.periodic import periodic_jobs, register_periodic

pytestmark = pytest.mark.django_db


@events.declare
class Happened(events.Event):
    name = "tests.happened"

    id: int


def _happened(id_: int) -> Happened:
    return Happened(id=id_, occurred_at=timezone.now())


@pytest.fixture
def received():
    got: list[dict] = []

    def handler(payload):
        got.append(payload)

    events.subscribe(Happened, handler)
    yield got
    events._handlers["tests.happened"].remove(handler)


def test_delivered_after_commit(received, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        events.publish(_happened(1))
    assert received == []
    for callback in callbacks:
        callback()
    assert [e.id for e in received] == [1]


def test_rolled_back_change_announces_nothing(received, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                events.publish(_happened(2))
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
            events.deliver("tests.happened", _happened(3).model_dump(mode="json"))
    finally:
        events._handlers["tests.happened"].remove(broken)
    assert [e.id for e in received] == [3]


def test_subscribing_twice_delivers_once(received):
    events.subscribe(Happened, events.handlers_for("tests.happened")[0])
    events.deliver("tests.happened", _happened(4).model_dump(mode="json"))
    assert [e.id for e in received] == [4]


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


def test_an_undeclared_event_is_refused():
    class Unknown(events.Event):
        name = "tests.unknown"

    with pytest.raises(ValueError, match="not declared"):
        events.publish(Unknown(occurred_at=timezone.now()))


def test_a_delivered_payload_is_validated_as_its_type(received):
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        events.deliver("tests.happened", {"id": "three", "occurred_at": "2025-01-01T00:00:00Z"})
    assert received == []
