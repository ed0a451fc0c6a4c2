from django.urls import path

from reports import api, api_outcomes

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
]
