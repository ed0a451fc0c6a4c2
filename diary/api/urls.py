from django.urls import path

from diary.api import accounts, entries, flags, outcomes

app_name = "api"

urlpatterns = [
    path("auth/register/", accounts.RegisterView.as_view(), name="register"),
    path("auth/token/", accounts.TokenView.as_view(), name="token"),
    path("auth/logout/", accounts.LogoutView.as_view(), name="logout"),
    path("auth/password/", accounts.PasswordView.as_view(), name="password"),
    path("me/", accounts.MeView.as_view(), name="me"),
    path("contacts/", accounts.ContactListView.as_view(), name="contact-list"),
    path("contacts/<int:pk>/", accounts.ContactDetailView.as_view(), name="contact-detail"),
    path("vocabulary/", entries.VocabularyView.as_view(), name="vocabulary"),
    path("entries/", entries.EntryListView.as_view(), name="entry-list"),
    path("entries/<str:pk>/", entries.EntryDetailView.as_view(), name="entry-detail"),
    path("flags/", flags.FlagListView.as_view(), name="flag-list"),
    path(
        "flags/<int:pk>/acknowledge/", flags.FlagAcknowledgeView.as_view(), name="flag-acknowledge"
    ),
    path("treatments/", outcomes.TreatmentListView.as_view(), name="treatment-list"),
    path("treatments/<int:pk>/", outcomes.TreatmentDetailView.as_view(), name="treatment-detail"),
    path("checkins/", outcomes.CheckInListView.as_view(), name="checkin-list"),
]
