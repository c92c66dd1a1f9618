"""Attracting enterprises (招商): prospects, the pipeline and vacant space."""
