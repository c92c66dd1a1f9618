"""Finding items by Chinese words, pinyin and pinyin initials, best hits first."""

from __future__ import annotations

from linli.frontoffice.catalog.models import ServiceItem
from linli.frontoffice.catalog.search import search
from linli.frontoffice.catalog.services import update_item


def codes(query: str) -> list[str]:
    return [i.code for i in search(ServiceItem.objects.all(), query)]


def licence_catalogue(make_item) -> None:
    make_item(code="BL-NEW", name="营业执照设立登记", keywords="开公司 注册公司")
    make_item(code="BL-CHANGE", name="营业执照变更登记", keywords="改名称 迁址")
    make_item(code="BL-CANCEL", name="营业执照注销登记")
    make_item(code="START", name="企业开办一窗通", keywords="营业执照 刻章 发票")
    make_item(
        code="FOOD",
        name="食品经营许可证核发",
        materials=["营业执照复印件", "经营场所平面图"],
    )
    make_item(code="FUND", name="住房公积金单位缴存登记", keywords="公积金开户")
    make_item(code="ROOM", name="会议室预约", keywords="洽谈室")


def test_chinese_words_find_the_licence_items_and_nothing_unrelated(make_item):
    licence_catalogue(make_item)
    found = codes("营业执照")
    assert set(found[:3]) == {"BL-NEW", "BL-CHANGE", "BL-CANCEL"}
    assert "FUND" not in found and "ROOM" not in found


def test_hits_rank_by_where_they_are_name_then_keywords_then_guide(make_item):
    licence_catalogue(make_item)
    found = codes("营业执照")
    assert found[3:] == ["START", "FOOD"]  # a keyword hit, then a hit in the materials


def test_pinyin_initials_and_full_pinyin_find_the_items(make_item):
    licence_catalogue(make_item)
    assert set(codes("yyzz")) == {"BL-NEW", "BL-CHANGE", "BL-CANCEL", "START"}
    assert codes("yyzzbg") == ["BL-CHANGE"]
    assert codes("gongjijin") == ["FUND"]
    assert codes("YingYe ZhiZhao zhuxiao") == ["BL-CANCEL"]
    assert codes("gjjkh") == ["FUND"]  # the initials of a keyword


def test_every_term_must_match_and_full_width_input_is_understood(make_item):
    licence_catalogue(make_item)
    assert codes("营业执照 变更") == ["BL-CHANGE"]
    assert codes("ｙｙｚｚ　注销") == ["BL-CANCEL"]
    assert codes("营业执照 公积金") == []


def test_a_lone_letter_or_an_empty_query_finds_nothing(make_item):
    licence_catalogue(make_item)
    assert codes("y") == []
    assert codes("   ") == []


def test_the_department_name_is_searchable(make_item, centre):
    make_item(code="TAX", name="发票申领", department=centre.tax)
    make_item(code="OTHER", name="会议室预约")
    assert codes("税务所") == ["TAX"]


def test_search_text_follows_an_edited_name(make_item, admin_access):
    item = make_item(code="X", name="会议室预约")
    update_item(item, actor=admin_access, name="路演厅预约")
    assert codes("luyan") == ["X"]
    assert codes("会议室") == []
