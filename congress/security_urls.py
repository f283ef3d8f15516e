"""Routes of the login defences and the audit trail (included once by congress/urls.py)."""

from __future__ import annotations

from django.urls import path

from congress import audit_views, auth

urlpatterns = [
    path("accounts/otp/", auth.otp_verify, name="login_otp"),
    path("accounts/otp/setup/", auth.otp_setup, name="otp_setup"),
    path("audit/", audit_views.audit_list, name="audit_list"),
]
