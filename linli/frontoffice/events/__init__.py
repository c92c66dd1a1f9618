"""Events: trainings, clinics and other activities, with registration, waitlist and check-in."""
