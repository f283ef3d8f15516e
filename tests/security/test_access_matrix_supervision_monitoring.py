"""The access-control matrix for monitoring points and their QR questionnaires (rules:
access_rules_supervision_monitoring.py).

A separate file from test_access_matrix.py so that parallel test processes
(pytest-xdist, --dist loadfile) share the matrix's work.
"""

from tests.security.matrix import app_matrix

test_route_access, _figures = app_matrix("supervision_monitoring", "supervision_monitoring")
