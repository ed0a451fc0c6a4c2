"""Web pages for accounts: sign-up, log-in, settings, contacts, passwords, erasure."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.web import client_ip, user_agent
from diary.account_tasks import password_reset_enqueue
from diary.forms.accounts import (
    AccountForm,
    ContactForm,
    DeleteAccountForm,
    LoginForm,
    SignUpForm,
    ThrottledPasswordResetForm,
)
from diary.models import SecurityEvent
from diary.selectors.accounts import contact_get, security_events_recent
from diary.selectors.clinicians import contacts_following, follow_for_contact
from diary.services import accounts as account_services


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("diary:log")
    form = SignUpForm(request.POST or None)
    status = 200
    if request.method == "POST":
        email = str(request.POST.get("email", "")).strip().lower()
        if not account_services.signup_allowed(email=email, ip=client_ip(request)):
            form.add_error(None, "Too many sign-ups from here. Try again in an hour.")
            status = 429
        elif form.is_valid():
            user = account_services.user_register(**form.cleaned_data)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Welcome! Log how you feel now; it takes under 30 seconds.")
            return redirect("diary:log")
    return render(request, "registration/signup.html", {"form": form}, status=status)


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: LoginForm) -> HttpResponse:
        response = super().form_valid(form)
        account_services.security_event_record(
            user=form.get_user(),
            kind=SecurityEvent.Kind.LOGIN,
            ip=client_ip(self.request),
            user_agent=user_agent(self.request),
        )
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """A web password change revokes every API token and every other session."""

    def form_valid(self, form: object) -> HttpResponse:
        account_services.user_password_set(
            user=self.request.user,
            password=form.cleaned_data["new_password1"],
            ip=client_ip(self.request),
            user_agent=user_agent(self.request),
        )
        # This browser stays logged in; every other session's hash no longer matches.
        auth_views.update_session_auth_hash(self.request, self.request.user)
        return redirect(self.get_success_url())


class PasswordResetView(auth_views.PasswordResetView):
    """Throttled per address and per e-mail; the worker sends the mail (same time for anyone)."""

    form_class = ThrottledPasswordResetForm

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form: ThrottledPasswordResetForm) -> HttpResponse:
        password_reset_enqueue(email=form.cleaned_data["email"])
        return redirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """A reset revokes every API token and every session, like any password change."""

    def form_valid(self, form: object) -> HttpResponse:
        account_services.user_password_set(
            user=form.user,
            password=form.cleaned_data["new_password1"],
            ip=client_ip(self.request),
            user_agent=user_agent(self.request),
        )
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return redirect(self.get_success_url())


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = AccountForm(request.POST or None, instance=user, prefix="account")
    if request.method == "POST" and form.is_valid():
        account_services.user_update(user=user, **form.changes())
        messages.success(request, "Your settings are saved.")
        return redirect("diary:account")
    return render(
        request,
        "registration/account.html",
        {
            "nav": "account",
            "form": form,
            "contacts": contacts_following(user=user, now=timezone.now()),
            "contact_form": ContactForm(user=user, prefix="contact"),
            "events": security_events_recent(user=user),
        },
    )


def _save_contact(form: ContactForm, save: object) -> bool:
    """Run the service; its refusals (the cap, a stopped contact) become form errors."""
    try:
        save()
    except ValidationError as error:
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
        return False
    return True


@login_required
def contact_add(request: HttpRequest) -> HttpResponse:
    form = ContactForm(request.POST or None, user=request.user, prefix="contact")
    if (
        request.method == "POST"
        and form.is_valid()
        and _save_contact(
            form,
            lambda: account_services.contact_create(user=request.user, **form.cleaned_data),
        )
    ):
        messages.success(request, "Contact added.")
        return redirect("diary:account")
    return render(request, "registration/contact_form.html", {"nav": "account", "form": form})


@login_required
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contact = contact_get(user=request.user, pk=pk)
    form = ContactForm(request.POST or None, instance=contact, user=request.user, prefix="contact")
    if (
        request.method == "POST"
        and form.is_valid()
        and _save_contact(
            form,
            # A fresh copy: validating the model form already wrote the input onto `contact`.
            lambda: account_services.contact_update(
                contact=contact_get(user=request.user, pk=pk),
                **{k: form.cleaned_data[k] for k in form.changed_data},
            ),
        )
    ):
        messages.success(request, "Contact saved.")
        return redirect("diary:account")
    return render(
        request,
        "registration/contact_form.html",
        {
            "nav": "account",
            "form": form,
            "contact": contact,
            "follow": follow_for_contact(contact=contact),
        },
    )


@login_required
@require_POST
def contact_delete(request: HttpRequest, pk: int) -> HttpResponse:
    account_services.contact_delete(contact=contact_get(user=request.user, pk=pk))
    messages.success(request, "Contact removed.")
    return redirect("diary:account")


@login_required
def account_delete(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        account_services.user_erase(user=user)
        messages.success(request, "Your account and all its data have been deleted.")
        return redirect("diary:login")
    return render(request, "registration/account_delete.html", {"nav": "account", "form": form})
