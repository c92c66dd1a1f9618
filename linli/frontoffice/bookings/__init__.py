"""Bookings of rooms, desks and advisors, with rules, check-in, strikes and calendar feeds."""
