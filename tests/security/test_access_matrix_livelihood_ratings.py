"""The access-control matrix for the year-end rating's routes (rules:
access_rules_livelihood_ratings.py).

A separate file from test_access_matrix.py so that parallel test processes
(pytest-xdist, --dist loadfile) share the matrix's work.
"""

from tests.security.matrix import app_matrix

test_route_access, _figures = app_matrix("livelihood_ratings", "livelihood_ratings")
