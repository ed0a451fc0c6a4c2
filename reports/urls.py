from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.report, name="report"),
    path("reports/pdf/", views.report_pdf, name="report-pdf"),
    path("sharing/", views.share_list, name="share-list"),
    path("sharing/<int:pk>/revoke/", views.share_revoke, name="share-revoke"),
    # The clinician's side: no login, the token is the only key.
    path("r/<str:token>/", views.share_view, name="share-view"),
    path("r/<str:token>/pdf/", views.share_pdf, name="share-pdf"),
]
