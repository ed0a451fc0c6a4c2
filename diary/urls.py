from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from diary.views import accounts, entries, flags, outcomes

app_name = "diary"

urlpatterns = [
    path("", entries.log_entry, name="log"),
    path("entries/", entries.entry_list, name="entry-list"),
    path("entries/<uuid:pk>/edit/", entries.entry_edit, name="entry-edit"),
    path("entries/<uuid:pk>/delete/", entries.entry_delete, name="entry-delete"),
    path("flags/", flags.flag_list, name="flag-list"),
    path("flags/<int:pk>/acknowledge/", flags.flag_acknowledge, name="flag-acknowledge"),
    path("treatments/", outcomes.treatment_list, name="treatment-list"),
    path("treatments/add/", outcomes.treatment_add, name="treatment-add"),
    path("treatments/<int:pk>/edit/", outcomes.treatment_edit, name="treatment-edit"),
    path("treatments/<int:pk>/delete/", outcomes.treatment_delete, name="treatment-delete"),
    path("checkin/", outcomes.checkin, name="checkin"),
    path("checkin/dismiss/", outcomes.checkin_dismiss, name="checkin-dismiss"),
    # accounts
    path("signup/", accounts.signup, name="signup"),
    path("login/", accounts.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", accounts.account, name="account"),
    path("account/delete/", accounts.account_delete, name="account-delete"),
    path("account/contacts/add/", accounts.contact_add, name="contact-add"),
    path("account/contacts/<int:pk>/", accounts.contact_edit, name="contact-edit"),
    path("account/contacts/<int:pk>/delete/", accounts.contact_delete, name="contact-delete"),
    path(
        "account/password/",
        accounts.PasswordChangeView.as_view(success_url=reverse_lazy("diary:password-change-done")),
        name="password-change",
    ),
    path(
        "account/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password-change-done",
    ),
    path(
        "password-reset/",
        accounts.PasswordResetView.as_view(success_url=reverse_lazy("diary:password-reset-done")),
        name="password-reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password-reset-done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(
            success_url=reverse_lazy("diary:password-reset-complete")
        ),
        name="password-reset-confirm",
    ),
    path(
        "password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
]
