"""Take-a-number queue: tickets, counters, the calling screen and the kiosk."""
