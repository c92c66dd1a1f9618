"""The Park Assistant: a building's own channel to its enterprises."""
