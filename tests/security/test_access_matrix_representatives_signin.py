"""The access-control matrix for the SMS sign-in and bulk logins
(rules: access_rules_representatives_signin.py).

A separate file from test_access_matrix.py so that parallel test processes
(pytest-xdist, --dist loadfile) share the matrix's work.
"""

from tests.security.matrix import app_matrix

test_route_access, _figures = app_matrix("representatives_signin", "representatives_signin")
