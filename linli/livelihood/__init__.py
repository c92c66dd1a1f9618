"""Livelihood services: elderly care, caring visits, meals (one app each), on the residents
registry and the cases engine."""
