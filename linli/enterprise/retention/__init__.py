"""Keeping enterprises (稳商): profiles, butlers' portfolios and visits, relocation risk."""
