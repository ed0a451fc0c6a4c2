from django.urls import path

from reports import api, api_clinician, api_outcomes

app_name = "reports-api"

urlpatterns = [
    path("shares/", api.ShareListView.as_view(), name="share-list"),
    path("shares/<int:pk>/", api.ShareDetailView.as_view(), name="share-detail"),
    path("export/entries.csv", api.ExportCsvView.as_view(), name="export-csv"),
    path("export/fhir/", api.ExportFhirView.as_view(), name="export-fhir"),
    path(
        "export/treatments.csv",
        api_outcomes.ExportTreatmentsCsvView.as_view(),
        name="export-treatments-csv",
    ),
    path(
        "export/checkins.csv",
        api_outcomes.ExportCheckinsCsvView.as_view(),
        name="export-checkins-csv",
    ),
    # Following (CONTRACT §7): the patient's side, then the clinician's.
    path(
        "contacts/<int:pk>/invite/",
        api_clinician.ContactInviteView.as_view(),
        name="contact-invite",
    ),
    path(
        "contacts/<int:pk>/follow/",
        api_clinician.ContactFollowView.as_view(),
        name="contact-follow",
    ),
    path("clinician/accept/", api_clinician.ClinicianAcceptView.as_view(), name="clinician-accept"),
    path(
        "clinician/patients/",
        api_clinician.ClinicianPatientListView.as_view(),
        name="clinician-patient-list",
    ),
    path(
        "clinician/patients/<int:pk>/",
        api_clinician.ClinicianPatientView.as_view(),
        name="clinician-patient",
    ),
    path(
        "clinician/patients/<int:pk>/report/",
        api_clinician.ClinicianPatientReportView.as_view(),
        name="clinician-patient-report",
    ),
]
