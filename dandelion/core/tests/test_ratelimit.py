"""The database rate limiter: fixed windows, Retry-After, lock-out, shared by every process."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import RequestFactory

from dandelion.core.errors import CoreError, RateLimited
from dandelion.core.models import RateLimitBucket
from dandelion.core.ratelimit import (
    Limit,
    Rate,
    client_address,
    rate_limits_check,
    rate_limits_consume,
    rate_limits_purge,
    rate_limits_record,
    rate_limits_reset,
    rates_parse,
)

pytestmark = pytest.mark.django_db
T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def test_rates_parse_reads_count_per_seconds():
    assert rates_parse("1/60, 5/3600") == (Rate(1, 60), Rate(5, 3600))


@pytest.mark.parametrize("text", ["5", "a/b", "0/60", "5/0"])
def test_bad_rates_are_refused(text):
    with pytest.raises(Exception, match="Bad rate"):
        Rate.parse(text)


def test_a_window_allows_its_limit_then_says_how_long_to_wait():
    limit = Limit("k", Rate(2, 60), code=CoreError.PHOTOS_BUSY)
    rate_limits_consume(limits=[limit], now=T0)
    rate_limits_consume(limits=[limit], now=T0 + timedelta(seconds=10))
    with pytest.raises(RateLimited) as caught:
        rate_limits_consume(limits=[limit], now=T0 + timedelta(seconds=20))
    assert caught.value.retry_after == 40
    assert caught.value.code == "photos_busy"
    rate_limits_consume(limits=[limit], now=T0 + timedelta(seconds=60))  # a new window


def test_a_refused_hit_counts_against_no_limit():
    loose, tight = Limit("loose", Rate(10, 60)), Limit("tight", Rate(1, 60))
    rate_limits_consume(limits=[tight], now=T0)
    with pytest.raises(RateLimited):
        rate_limits_consume(limits=[loose, tight], now=T0)
    assert not RateLimitBucket.objects.filter(key_hash=loose.key_hash, count__gt=0).exists()


def test_the_longest_wait_is_reported_when_several_limits_are_exhausted():
    a, b = Limit("a", Rate(1, 60)), Limit("b", Rate(1, 3600))
    rate_limits_consume(limits=[a, b], now=T0)
    with pytest.raises(RateLimited) as caught:
        rate_limits_consume(limits=[a, b], now=T0 + timedelta(seconds=1))
    assert caught.value.retry_after == 3599


def test_keys_are_stored_hashed():
    rate_limits_consume(limits=[Limit("otp:phone:13812345678", Rate(1, 60))], now=T0)
    assert "13812345678" not in RateLimitBucket.objects.get().key_hash


def test_record_locks_out_for_a_full_window_after_the_failure_that_reached_the_limit():
    limit = Limit("login:alice", Rate(3, 900))
    for minutes in (0, 5, 10):
        rate_limits_record(limits=[limit], now=T0 + timedelta(minutes=minutes))
    with pytest.raises(RateLimited) as caught:
        rate_limits_check(limits=[limit], now=T0 + timedelta(minutes=11))
    assert caught.value.retry_after == 14 * 60
    rate_limits_check(limits=[limit], now=T0 + timedelta(minutes=25))


def test_reset_and_purge_remove_buckets():
    a, b = Limit("a", Rate(1, 60)), Limit("b", Rate(1, 60))
    rate_limits_consume(limits=[a, b], now=T0)
    rate_limits_reset(limits=[a])
    assert RateLimitBucket.objects.count() == 1
    assert rate_limits_purge(now=T0 + timedelta(seconds=61)) == 1


def test_the_clock_is_the_servers_by_default():
    limit = Limit("k", Rate(1, 60))
    with time_machine.travel(T0, tick=False):
        rate_limits_consume(limits=[limit])
        with pytest.raises(RateLimited):
            rate_limits_consume(limits=[limit])
    with time_machine.travel(T0 + timedelta(minutes=1), tick=False):
        rate_limits_consume(limits=[limit])


def test_client_address_trusts_only_the_configured_proxies(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 1.2.3.4"
    )
    settings.RATELIMIT_TRUSTED_PROXIES = 0
    assert client_address(request) == "10.0.0.1"
    settings.RATELIMIT_TRUSTED_PROXIES = 1
    assert client_address(request) == "1.2.3.4"  # not the spoofable left-most entry
    settings.RATELIMIT_TRUSTED_PROXIES = 3
    assert client_address(request) == "10.0.0.1"


@pytest.mark.django_db
def test_submissions_are_limited_per_person_and_kind(settings, make_user):
    from dandelion.core.ratelimit import submissions_consume

    settings.SUBMISSION_RATES = "2/600"
    rider, other = make_user(name="骑手"), make_user(name="另一位")
    submissions_consume(person=rider, kind="report")
    submissions_consume(person=rider, kind="report")
    with pytest.raises(RateLimited) as info:
        submissions_consume(person=rider, kind="report")
    assert info.value.code == "rate_limited" and 0 < info.value.retry_after <= 600
    # another kind and another person count apart
    submissions_consume(person=rider, kind="need")
    submissions_consume(person=other, kind="report")


@pytest.mark.django_db
def test_a_submission_that_is_not_stored_counts_nothing(settings, make_user):
    from django.db import transaction

    from dandelion.core.ratelimit import submissions_consume

    settings.SUBMISSION_RATES = "1/600"
    rider = make_user(name="骑手")
    with pytest.raises(ValueError), transaction.atomic():
        submissions_consume(person=rider, kind="report")
        raise ValueError("the report was refused")
    submissions_consume(person=rider, kind="report")


@pytest.mark.django_db
def test_a_submission_check_refuses_what_consume_would_and_counts_nothing(settings, make_user):
    from dandelion.core.ratelimit import submissions_check, submissions_consume

    settings.SUBMISSION_RATES = "1/600"
    rider = make_user(name="骑手")
    submissions_check(person=rider, kind="need")
    submissions_check(person=rider, kind="need")  # asking twice spends nothing
    submissions_consume(person=rider, kind="need")
    with pytest.raises(RateLimited) as info:
        submissions_check(person=rider, kind="need")
    assert info.value.code == "rate_limited" and 0 < info.value.retry_after <= 600
    submissions_check(person=rider, kind="wish")  # another kind counts apart
