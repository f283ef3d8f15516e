"""The access-control matrix for the livelihood year's cycle, call and screening routes
(rules: access_rules_livelihood_cycles.py).

A separate file from test_access_matrix.py so that parallel test processes
(pytest-xdist, --dist loadfile) share the matrix's work.
"""

from tests.security.matrix import app_matrix

test_route_access, _figures = app_matrix("livelihood_cycles", "livelihood_cycles")
