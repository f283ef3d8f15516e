"""Routes of the login defences, API tokens and the audit trail (included once by congress/urls.py)."""

from __future__ import annotations

from django.urls import path

from congress import audit_views, auth, history_views
from congress.api import tokens

urlpatterns = [
    path("accounts/otp/", auth.otp_verify, name="login_otp"),
    path("accounts/otp/setup/", auth.otp_setup, name="otp_setup"),
    path("accounts/api-tokens/", tokens.api_token_list, name="api_tokens"),
    path("accounts/api-tokens/revoke/", tokens.api_token_revoke_view, name="api_token_revoke"),
    path("audit/", audit_views.audit_list, name="audit_list"),
    path("audit/history/", history_views.audit_history, name="audit_history"),
]
