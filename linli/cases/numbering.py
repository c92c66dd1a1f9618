"""Case numbers: ``2026-000123``, gapless per sub-district and Shanghai year.

The number is taken last in an intake: taking it locks the sub-district's counter until the
commit, and every other intake waits.
"""

from __future__ import annotations

import contextlib
import datetime as dt

from django.db import IntegrityError, connection, transaction

from linli.cases.models import Case, CaseCounter
from linli.core.calendar import local_zone


def _take(case: Case, year: int) -> str | None:
    """Add one to the year's counter and write ``<year>-<n>`` on the case; None while the year
    has no counter. PostgreSQL does both in one statement; elsewhere the counter answers with
    ``RETURNING`` (SQLite 3.35+) and the case is written after. The counter row stays locked
    until the commit; SQLite locks the database at BEGIN."""
    quote = connection.ops.quote_name
    counter, last = quote(CaseCounter._meta.db_table), quote("last")
    take = (
        f"UPDATE {counter} SET {last} = {last} + 1"  # noqa: S608 - names from the model
        f" WHERE {quote('subdistrict_id')} = %s AND {quote('year')} = %s RETURNING {last}"
    )
    prefix = f"{year}-"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cases, number = quote(Case._meta.db_table), quote("number")
            digits = f"taken.{last}::text"  # at least six, as the format below
            cursor.execute(
                f"WITH taken AS ({take}) UPDATE {cases}"  # noqa: S608 - names from the models
                f" SET {number} = %s || lpad({digits}, greatest(6, length({digits})), '0')"
                f" FROM taken WHERE {cases}.{quote('id')} = %s RETURNING {cases}.{number}",
                [case.subdistrict_id, year, prefix, case.pk],
            )
            row = cursor.fetchone()
            return None if row is None else str(row[0])
        cursor.execute(take, [case.subdistrict_id, year])
        row = cursor.fetchone()
    if row is None:
        return None
    number = f"{prefix}{int(row[0]):06d}"
    Case.objects.filter(pk=case.pk).update(number=number)
    return number


def give_number(case: Case, moment: dt.datetime) -> str:
    """The case's number, gapless per sub-district and Shanghai year: ``2026-000123``."""
    year = moment.astimezone(local_zone()).year
    number = _take(case, year)
    while number is None:  # the year's first case: make its counter, or another intake did
        with contextlib.suppress(IntegrityError), transaction.atomic():
            CaseCounter.objects.create(subdistrict_id=case.subdistrict_id, year=year, last=0)
        number = _take(case, year)
    return number
