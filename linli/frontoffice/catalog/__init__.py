"""Service catalog: the guide to every item, its search, and the online path into a case."""
