"""Pools of plausible Chinese names, and small helpers that draw from them with a given rng."""

from __future__ import annotations

import random

# Weighted towards the surnames most common in Shanghai.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤"
)
_SHANGHAI_SURNAMES = "沈陆顾钱徐朱张王陈周"
_SURNAME_WEIGHTS = [
    (3.0 if s in _SHANGHAI_SURNAMES else 1.0) / (rank + 6) for rank, s in enumerate(SURNAMES)
]
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红鹏辉建文斌宇浩凯晨欣怡佳琳雪婷子轩"
    "梓涵一诺依晨思远嘉怡俊杰雨桐浩然子墨若曦天佑梦琪晓东海燕国强志华丽君春燕秋云振宇立新卫东"
)

# 字号 (trade names) are two characters: one from each pool, so collisions are easy to avoid.
TRADE_FIRST = "华盛鼎瑞恒泰嘉祥宏远德昌锦荣博安隆信卓元誉丰启明汇通中联和润晟源融智睿达立诚天宸"
TRADE_SECOND = "信源达通邦创盈腾越辰峰禾韬悦航驰泽翔承宇铭晖拓衡骏勤迈诺澜弘凯睿鑫亿瀚晟朗璟煜"
# Transliteration-like syllables for foreign-invested regional headquarters.
FOREIGN_SYLLABLES = "艾博德菲格汉克莱马诺欧普瑞斯泰威维雅伊兰顿尔森特利凯蒙索贝奥"

SCHOOL_WORDS = (
    "育才",
    "启明",
    "向阳",
    "明德",
    "致远",
    "新成",
    "崇文",
    "晨曦",
    "立信",
    "博雅",
    "春蕾",
    "彩虹",
    "青松",
    "海棠",
    "紫藤",
    "晓光",
    "树人",
    "弘毅",
    "求知",
    "和煦",
    "文华",
    "光明",
    "阳光",
    "星河",
    "芳草",
    "翠竹",
    "朝阳",
    "新星",
    "蓓蕾",
    "童心",
    "红叶",
    "银杏",
)
SHOP_BRANDS = ("邻家便利", "日日鲜便利", "安心便利", "晨曦便利", "街角便利店")

CHINESE_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 16 → 十六, 32 → 三十二 (1–99), as in 第十六网格."""
    if not 0 < n < 100:
        raise ValueError(n)
    tens, ones = divmod(n, 10)
    prefix = "" if tens == 0 else ("十" if tens == 1 else CHINESE_DIGITS[tens] + "十")
    return prefix + (CHINESE_DIGITS[ones] if ones else "")


def person_name(rng: random.Random) -> str:
    surname = rng.choices(SURNAMES, weights=_SURNAME_WEIGHTS)[0]
    length = 2 if rng.random() < 0.72 else 1
    return surname + "".join(rng.choice(GIVEN) for _ in range(length))


def trade_name(rng: random.Random) -> str:
    return rng.choice(TRADE_FIRST) + rng.choice(TRADE_SECOND)


def foreign_trade_name(rng: random.Random) -> str:
    return "".join(rng.sample(FOREIGN_SYLLABLES, rng.choice((2, 2, 3))))


def mobile_number(rng: random.Random) -> str:
    """A number in the format of a mainland mobile (GB: 1[3-9] + 9 digits)."""
    prefix = rng.choice(
        ("130", "131", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155")
        + ("156", "158", "159", "166", "176", "177", "180", "181", "186", "187", "189", "199")
    )
    return prefix + f"{rng.randrange(100_000_000):08d}"
