"""Routes of the representatives' sign-in and of the staff's bulk logins for them
(representatives/signin.py, representatives/accounts.py)."""

from django.urls import URLPattern, URLResolver, path

from representatives import account_views, signin_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("accounts/sms/", signin_views.sms_signin, name="sms_signin"),
    path("accounts/sms/code/", signin_views.sms_signin_code, name="sms_signin_code"),
    path(
        "representatives/accounts/",
        account_views.representative_accounts,
        name="representative_accounts",
    ),
    path(
        "representatives/accounts/import/",
        account_views.representative_accounts_import,
        name="representative_accounts_import",
    ),
]
