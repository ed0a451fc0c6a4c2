from django.conf import settings
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config import pwa
from config.views import health
from reports import contact_links

urlpatterns = [
    path("healthz/", health, name="health"),
    path("sw.js", pwa.service_worker, name="service-worker"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("favicon.ico", pwa.favicon, name="favicon"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("api/", include("reports.api_urls")),
    path("api/", include("diary.api.urls")),
    # The one-click stop link in contact notices and alerts (RFC 8058).
    path("stop/<str:token>/", contact_links.contact_stop, name="contact-stop"),
    path("", include("reports.urls")),
    path("", include("diary.urls")),
]

# The admin is off unless ADMIN_ENABLED=true; when on, its log-in has the site's lock-out.
if settings.ADMIN_ENABLED:
    from django.contrib import admin

    from diary.forms.accounts import AdminLoginForm

    admin.site.login_form = AdminLoginForm
    urlpatterns.insert(0, path("admin/", admin.site.urls))

handler404 = "config.views.page_not_found"
