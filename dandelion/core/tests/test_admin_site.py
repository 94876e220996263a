"""The admin speaks as Dandelion's, in the reader's language."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_admin_header_is_ours_in_chinese_and_english(admin_client):
    chinese = admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "蒲公英管理后台" in chinese and "Django 管理" not in chinese
    english = admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Dandelion administration" in english and "Django administration" not in english
