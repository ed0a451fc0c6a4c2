from django.urls import path

from reports import api

app_name = "reports-api"

urlpatterns = [
    path("shares/", api.ShareListView.as_view(), name="share-list"),
    path("shares/<int:pk>/", api.ShareDetailView.as_view(), name="share-detail"),
    path("export/entries.csv", api.ExportCsvView.as_view(), name="export-csv"),
    path("export/fhir/", api.ExportFhirView.as_view(), name="export-fhir"),
]
