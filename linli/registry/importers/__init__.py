"""Import registry records from CSV or Excel: every row checked, then all written or none.

A file is read into rows of text (``files``), its header mapped to the kind's fields
(``columns``), each row turned into the data the record's page form would receive (codes become
primary keys, ``a;b`` lists become lists; ``rows``) and validated by that same form
(``validation``, with ``bulk_form``), so the rules live in one place. Rows whose key (code, or
credit code for enterprises) already exists in the sub-district update that record; the others
create one. A dry run stops after validation; a real import (``write``) validates and writes
inside one transaction and writes nothing unless every row is valid.
"""

from linli.registry.importers.columns import importable_columns, key_field
from linli.registry.importers.files import MAX_BYTES, ImportFileError, check_upload, read_upload
from linli.registry.importers.report import ImportReport, RowError
from linli.registry.importers.write import import_records

__all__ = [
    "MAX_BYTES",
    "ImportFileError",
    "ImportReport",
    "RowError",
    "check_upload",
    "import_records",
    "importable_columns",
    "key_field",
    "read_upload",
]
