"""The enterprise information platform: one Django app per job.

``retention`` (稳商: profiles, butlers' portfolios, visits, relocation risk), ``investment``
(招商: the prospect pipeline and vacant space), ``park`` (the Park Assistant of each building)
and ``inspections`` (综合查一次: joint inspection visits).
"""
