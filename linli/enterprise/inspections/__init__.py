"""Joint inspections (综合查一次): planned inspections merged into one visit per enterprise."""
