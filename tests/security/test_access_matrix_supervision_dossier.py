"""The access-control matrix for a topic's dossier (rules: access_rules_supervision_dossier.py).

A separate file from test_access_matrix.py so that parallel test processes
(pytest-xdist, --dist loadfile) share the matrix's work.
"""

from tests.security.matrix import app_matrix

test_route_access, _figures = app_matrix("supervision_dossier", "supervision_dossier")
