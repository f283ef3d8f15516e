"""The API's token check, made once per request.

``congress.middleware.AnonymousRateLimitMiddleware`` checks a request's API token before
the view to tell a signed-in client from an anonymous one (a made-up token is no way
round the flood guard). knox's check costs two queries (the token, then the owner's
other tokens to drop expired ones); the API's authentication reuses the middleware's
answer instead of asking again.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

# Where the middleware leaves a valid token's (user, token) on the request.
_CHECKED = "_api_token_checked"


def check_token(request: HttpRequest) -> bool:
    """Whether the request carries a valid API token (``Authorization: Token <key>``);
    a valid one's (user, token) is kept on the request for the API's authentication."""
    scheme, _space, key = request.headers.get("Authorization", "").partition(" ")
    if scheme != "Token" or not key.strip():
        return False
    try:  # knox's own check: digest, expiry, active user
        checked = KnoxTokenAuthentication().authenticate_credentials(key.strip().encode())
    except (AuthenticationFailed, UnicodeError):
        return False
    setattr(request, _CHECKED, checked)
    return True


class TokenAuthentication(KnoxTokenAuthentication):
    """knox's token authentication, reusing the middleware's check of the same header."""

    def authenticate(self, request: Request) -> Any:
        checked = getattr(request._request, _CHECKED, None)
        if checked is not None:
            return checked
        return super().authenticate(request)


class TokenScheme(KnoxTokenScheme):
    """The schema documents it as knox's own scheme (the same header, the same name)."""

    target_class = "congress.api.authentication.TokenAuthentication"
