"""Simplified Chinese formats: ISO dates first in inputs, and figures grouped by thousands.

A form renders a date with the first input format of the active language. Django's zh_Hans
puts ``2026/12/08`` first, and browsers leave an ``<input type="date">`` holding that empty
(its value must be ``2026-12-08``): every date field came up blank for Chinese users, and a
booking lost its date after a slot was clicked. The other spellings are still read.

Django's zh_Hans groups no digits (no thousands separator, a grouping of 4 that only applies
with a separator), so a page showed 29863 where an English one shows 29,863. Chinese official
statistics write 29,863 too (GB/T 15835 groups by three with a comma), so the separator is a
comma in threes. ``USE_THOUSAND_SEPARATOR`` stays off: only figures a template or
``display.number`` asks to group are grouped (``floatformat:"0g"``, ``number``), never a number
input's value or an id written into a URL or an attribute.
"""

from django.conf.locale.zh_Hans import formats as django_formats

DATE_FORMAT = django_formats.DATE_FORMAT
TIME_FORMAT = django_formats.TIME_FORMAT
DATETIME_FORMAT = django_formats.DATETIME_FORMAT
YEAR_MONTH_FORMAT = django_formats.YEAR_MONTH_FORMAT
MONTH_DAY_FORMAT = django_formats.MONTH_DAY_FORMAT
SHORT_DATE_FORMAT = django_formats.SHORT_DATE_FORMAT
SHORT_DATETIME_FORMAT = django_formats.SHORT_DATETIME_FORMAT
FIRST_DAY_OF_WEEK = django_formats.FIRST_DAY_OF_WEEK
TIME_INPUT_FORMATS = django_formats.TIME_INPUT_FORMATS
DECIMAL_SEPARATOR = django_formats.DECIMAL_SEPARATOR
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2026-12-08: what <input type="date"> holds
    *(f for f in django_formats.DATE_INPUT_FORMATS if f != "%Y-%m-%d"),
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%dT%H:%M",  # what <input type="datetime-local"> holds
    "%Y-%m-%d %H:%M",
    *(
        f
        for f in django_formats.DATETIME_INPUT_FORMATS
        if f not in ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M")
    ),
]
