"""Volunteer pages in English (issue 17): dates follow the language ("Dec 7, 09:00", not
"12月7日"), and skills stored in Chinese read in English on the feed, an activity and the
registration form."""

import re

import pytest
from django.utils import translation

from dandelion.accounts.selectors import skill_label, skills_text
from dandelion.accounts.testing import client_for

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")
META = re.compile(r'<div class="vol-card__meta">(.*?) · ')
SKILLS = re.compile(r'<div class="vol-card__skills">.*?</div>', re.S)
CHIPS = re.compile(r'<div class="skill-chips">.*?</div>', re.S)


def test_known_skills_translate_and_typed_ones_stay():
    with translation.override("en"):
        assert skill_label("急救") == "First aid"
        assert skill_label("修自行车") == "修自行车"
        assert skills_text(["急救", "摄影"]) == "First aid, Photography"
    with translation.override("zh-hans"):
        assert skills_text(["急救", "摄影"]) == "急救、摄影"


def test_the_feed_dates_and_skills_read_in_english(world, make_activity, volunteers):
    activity = make_activity(skills=["急救", "维修电动车"])
    client = client_for(volunteers[0])
    feed = client.get("/volunteer/feed/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    when = META.search(feed).group(1)
    assert re.fullmatch(r"[A-Z][a-z]{2} \d{1,2}, \d\d:\d\d–\d\d:\d\d", when), when
    skills = SKILLS.search(feed).group(0)
    assert "First aid" in skills and "E-bike repair" in skills and not CJK.search(skills)
    chinese = client.get("/volunteer/feed/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert re.fullmatch(r"\d{1,2}月\d{1,2}日 \d\d:\d\d–\d\d:\d\d", META.search(chinese).group(1))
    detail = client.get(
        f"/volunteer/activities/{activity.pk}/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "First aid, E-bike repair" in detail


def test_the_registration_form_offers_skills_in_english(make_user):
    person = make_user(name="新骑手", phone="13900000009")
    page = client_for(person).get("/register/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    chips = CHIPS.search(page).group(0)
    assert "First aid" in chips and 'value="急救"' in chips
    assert not CJK.search(re.sub(r'value="[^"]*"', "", chips)), chips


def test_my_page_lists_my_skills_in_english(volunteers):
    page = client_for(volunteers[0]).get("/me/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "First aid" in page
    chinese = client_for(volunteers[0]).get("/me/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "急救" in chinese.content.decode()
