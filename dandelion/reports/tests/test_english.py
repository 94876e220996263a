"""Report pages in English (issue 17): the timeline's system and standard notes, a category's
extra questions and their options, and the category named in notifications."""

import re

import pytest
from django.utils import translation

from dandelion.accounts.testing import client_for
from dandelion.notifications.kinds import render
from dandelion.notifications.models import Notification
from dandelion.reports import services
from dandelion.reports.notes import note_label

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")
TIMELINE = re.compile(r'<ol class="report-timeline" id="updates">.*?</ol>', re.S)
LIFT = re.compile(
    r'<fieldset class="report-form__questions" data-category="broken_lift".*?</fieldset>', re.S
)


def test_system_and_standard_notes_translate_and_typed_ones_stay():
    with translation.override("en"):
        assert note_label("报告人确认已修复") == "The reporter confirmed the fix"
        assert note_label("正在现场核查。") == "Being checked on site."
        assert note_label("与 #12 是同一问题，请关注 #12。").startswith("Same problem as #12")
        assert note_label("还是脏") == "还是脏"
    with translation.override("zh-hans"):
        assert note_label("正在现场核查。") == "正在现场核查。"


def test_the_timeline_reads_in_english(rw, make_report):
    original = make_report()
    report = make_report(description="又堆满了")
    services.report_status_change(
        report_id=report.pk, actor=rw.dispatcher, status="investigating", note="正在现场核查。"
    )
    services.report_mark_duplicate(
        report_id=report.pk, original_id=original.pk, actor=rw.dispatcher
    )
    page = (
        client_for(rw.worker)
        .get(f"/reports/{report.pk}/", HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    timeline = TIMELINE.search(page).group(0)
    assert "Being checked on site." in timeline and f"#{original.pk}" in timeline
    assert not CJK.search(timeline), timeline


def test_the_lift_questions_and_options_read_in_english(rw):
    services.category_upsert(
        region=rw.city,
        code="broken_lift",
        name="电梯故障",
        name_en="Broken lift",
        attributes=[
            {
                "code": "floor",
                "description": "哪一层？",
                "description_en": "Which floor?",
                "datatype": "number",
                "datatype_description": "填写楼层数字",
                "datatype_description_en": "Floor number",
                "required": True,
            },
            {
                "code": "trapped",
                "description": "有人被困吗？",
                "description_en": "Is anyone trapped?",
                "datatype": "singlevaluelist",
                "values": [
                    {"key": "yes", "name": "有", "name_en": "Yes"},
                    {"key": "no", "name": "没有", "name_en": "No"},
                ],
            },
        ],
    )
    client = client_for(rw.worker)
    english = LIFT.search(client.get("/reports/new/", HTTP_ACCEPT_LANGUAGE="en").content.decode())
    fieldset = english.group(0)
    assert "Is anyone trapped?" in fieldset and ">Yes</option>" in fieldset
    assert 'placeholder="Floor number"' in fieldset
    assert not CJK.search(fieldset), fieldset
    chinese = LIFT.search(
        client.get("/reports/new/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    )
    assert "有人被困吗？" in chinese.group(0) and ">没有</option>" in chinese.group(0)


def test_notifications_name_the_category_in_the_readers_language(rw, make_report):
    report = make_report()
    services.report_status_change(
        report_id=report.pk, actor=rw.dispatcher, status="investigating", note="正在现场核查。"
    )
    notification = Notification.objects.filter(kind__startswith="reports.status.").first()
    assert notification.params["category_en"] == "Open garbage"
    with translation.override("en"):
        title, body = render(notification.kind, notification.params)
    assert "Open garbage" in body and not CJK.search(title + body)
