"""linli's own locale formats (``FORMAT_MODULE_PATH``), over Django's."""
