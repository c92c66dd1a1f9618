"""The Enterprise Service Center's front office: one Django app per area of the centre.

``catalog`` (the service guide and self-service), ``queue`` (take-a-number at the windows),
``bookings`` (rooms, desks and advisor appointments, at the centre and the building
sub-centres) and ``events`` (trainings, clinics and other activities).
"""
