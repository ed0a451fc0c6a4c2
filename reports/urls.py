from django.urls import path

from reports import views, views_clinician, views_following

app_name = "reports"

urlpatterns = [
    path("reports/", views.report, name="report"),
    path("reports/pdf/", views.report_pdf, name="report-pdf"),
    path("sharing/", views.share_list, name="share-list"),
    path("sharing/<int:pk>/revoke/", views.share_revoke, name="share-revoke"),
    # The clinician's side: no login, the token is the only key.
    path("r/<str:token>/", views.share_view, name="share-view"),
    path("r/<str:token>/pdf/", views.share_pdf, name="share-pdf"),
    path("r/<str:token>/csv/", views.share_csv, name="share-csv"),
    path("r/<str:token>/fhir/", views.share_fhir, name="share-fhir"),
    # The patient's side of following, from the contacts on the account page.
    path(
        "account/contacts/<int:pk>/invite/",
        views_following.contact_invite,
        name="contact-invite",
    ),
    path(
        "account/contacts/<int:pk>/follow/notes/",
        views_following.follow_share_notes,
        name="follow-share-notes",
    ),
    path(
        "account/contacts/<int:pk>/follow/stop/",
        views_following.follow_stop,
        name="follow-stop",
    ),
    # The clinician workspace (clinician accounts only).
    path("clinician/", views_clinician.workspace, name="clinician-home"),
    path("clinician/accept/<str:token>/", views_clinician.accept, name="clinician-accept"),
    path(
        "clinician/patients/<int:pk>/",
        views_clinician.patient_report,
        name="clinician-patient",
    ),
    path("clinician/patients/<int:pk>/pdf/", views_clinician.patient_pdf, name="clinician-pdf"),
    path("clinician/patients/<int:pk>/csv/", views_clinician.patient_csv, name="clinician-csv"),
    path("clinician/patients/<int:pk>/fhir/", views_clinician.patient_fhir, name="clinician-fhir"),
    path(
        "clinician/patients/<int:pk>/leave/",
        views_clinician.patient_leave,
        name="clinician-leave",
    ),
]
