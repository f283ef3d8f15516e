from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from congress import auth, dashboard_views, files, inbox_views, loop_views, views
from congress.api import docs as api_docs

admin.site.site_header = _("代表履职管理系统 · 后台管理")
admin.site.site_title = _("代表履职管理系统")
admin.site.index_title = _("基础数据与规则")

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth.password_change, name="password_change"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("congress.security_urls")),
    path("regions/", views.region_list, name="region_list"),
    path("regions/<int:pk>/", views.region_detail, name="region_detail"),
    path("departments/", views.department_list, name="department_list"),
    path("departments/<int:pk>/", views.department_detail, name="department_detail"),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("", include("suggestions.urls")),
    path("", include("representatives.urls")),
    path("", include("representatives.signin_urls")),
    path("", include("representatives.offline_urls")),
    path("", include("livelihood_votes.urls")),
    path("", include("livelihood_votes.cycle_urls")),
    path("", include("livelihood_votes.project_urls")),
    path("", include("livelihood_votes.rating_urls")),
    path("", include("supervision.urls")),
    path("", include("supervision.meeting_urls")),
    path("", include("supervision.evaluation_urls")),
    path("", include("supervision.source_urls")),
    path("", include("supervision.monitoring_urls")),
    path("", include("supervision.dossier_urls")),
    path("", include("congress.boundary_urls")),
    path("", include("congress.bigscreen_urls")),
    path("", include("congress.report_urls")),
    path("", include("congress.rules_urls")),
    path("inbox/", inbox_views.inbox, name="inbox"),
    path("inbox/<int:pk>/open/", inbox_views.inbox_open, name="inbox_open"),
    path("inbox/read-all/", inbox_views.inbox_mark_all_read, name="inbox_mark_all_read"),
    path("inbox/preferences/", inbox_views.inbox_preferences, name="inbox_preferences"),
    path("files/<str:token>/", files.attachment_download, name="attachment_download"),
    path("loop/", loop_views.assignment_list, name="assignment_list"),
    path("loop/assignments/<int:pk>/", loop_views.assignment_detail, name="assignment_detail"),
    path("loop/assignments/<int:pk>/act/", loop_views.assignment_act, name="assignment_act"),
    path("admin/", admin.site.urls),
    path("api/v1/dashboard/", dashboard_views.DashboardAPIView.as_view(), name="api-dashboard"),
    path("api/v1/", include("congress.api.urls")),
    path("api/v1/", include("suggestions.api_urls")),
    path("api/v1/", include("representatives.api_urls")),
    path("api/v1/", include("livelihood_votes.api_urls")),
    path("api/v1/", include("livelihood_votes.cycle_api_urls")),
    path("api/v1/", include("livelihood_votes.project_api_urls")),
    path("api/v1/", include("livelihood_votes.rating_api_urls")),
    path("api/v1/", include("supervision.api_urls")),
    path("api/v1/", include("supervision.meeting_api_urls")),
    path("api/v1/", include("supervision.evaluation_api_urls")),
    path("api/v1/", include("supervision.source_api_urls")),
    path("api/v1/", include("supervision.monitoring_api_urls")),
    path("api/schema/", api_docs.schema_view, name="api-schema"),
    path("api/docs/", api_docs.docs_view, name="api-docs"),
]

handler404 = "congress.error_views.page_not_found"
handler500 = "congress.error_views.server_error"
