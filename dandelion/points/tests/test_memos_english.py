"""Ledger memos the system writes read in the reader's language (issue 17): on /points/ and in
the "points awarded" notification; a memo a person typed stays as typed."""

import re

import pytest
from django.utils import translation

from dandelion.notifications.kinds import render
from dandelion.notifications.models import Notification
from dandelion.points.handlers import _notify
from dandelion.points.memos import memo_label
from dandelion.points.services import award_by_rule

CJK = re.compile(r"[\u4e00-\u9fff]")
ENTRY = re.compile(r'<div class="weui-cell pts-entry">.*?</div>\s*</div>', re.S)


@pytest.mark.parametrize(
    ("memo", "english"),
    [
        ("随手拍被采纳", "Snapshot report accepted"),
        ("评价诉求办理", "Need rated"),
        ("发放额度", "Funding"),
        ("参加培训", "Training attended"),
        ("驿站打卡 · 甘棠驿站", "Station visit · 甘棠驿站"),
        ("志愿服务 · 清洁家园", "Volunteering · 清洁家园"),
        ("录入有误，冲正", "录入有误，冲正"),
        ("", ""),
    ],
)
def test_system_memos_translate_at_display_time(memo, english):
    with translation.override("en"):
        assert memo_label(memo) == english
    with translation.override("zh-hans"):
        assert memo_label(memo) == memo


@pytest.mark.django_db
def test_points_history_reads_in_english(client, ledger):
    for key, event, memo in (
        ("report_accepted:1", "report_accepted", "随手拍被采纳"),
        ("need_rated:1", "need_rated", "评价诉求办理"),
    ):
        award_by_rule(
            user=ledger.worker,
            event=event,
            region_code=ledger.region.code,
            source_key=key,
            memo=memo,
        )
    client.force_login(ledger.worker)
    page = client.get("/points/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    entries = ENTRY.findall(page)
    assert len(entries) == 2
    for entry in entries:
        assert not CJK.search(entry), entry
    assert "Snapshot report accepted" in page


@pytest.mark.django_db
def test_points_awarded_notification_reads_in_the_readers_language(ledger):
    result = award_by_rule(
        user=ledger.worker,
        event="report_accepted",
        region_code=ledger.region.code,
        source_key="report_accepted:2",
        memo="随手拍被采纳",
    )
    _notify(result, ledger.worker)
    notification = Notification.objects.get(recipient=ledger.worker, kind="points.awarded")
    with translation.override("en"):
        title, body = render(notification.kind, notification.params)
    assert body == "Snapshot report accepted"
    assert not CJK.search(title + body)
    with translation.override("zh-hans"):
        assert render(notification.kind, notification.params)[1] == "随手拍被采纳"
