"""Grassroots governance scenarios (lifts, group rentals, …), one app each, on the cases engine,
the residents registry and the life circle."""
