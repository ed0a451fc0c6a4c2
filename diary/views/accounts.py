"""Web pages for accounts: sign-up, log-in, settings, contacts, erasure."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.web import client_ip, user_agent
from diary.forms.accounts import AccountForm, ContactForm, DeleteAccountForm, LoginForm, SignUpForm
from diary.models import Contact, SecurityEvent
from diary.services import accounts as account_services


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("diary:log")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = account_services.user_register(**form.cleaned_data)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome! Log how you feel now; it takes under 30 seconds.")
        return redirect("diary:log")
    return render(request, "registration/signup.html", {"form": form})


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
    def form_valid(self, form: object) -> HttpResponse:
        response = super().form_valid(form)
        account_services.security_event_record(
            user=self.request.user,
            kind=SecurityEvent.Kind.PASSWORD_CHANGED,
            ip=client_ip(self.request),
            user_agent=user_agent(self.request),
        )
        return response


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = AccountForm(request.POST or None, instance=user, prefix="account")
    if request.method == "POST" and form.is_valid():
        account_services.user_update(
            user=user, **{k: form.cleaned_data[k] for k in form.changed_data}
        )
        messages.success(request, "Your settings are saved.")
        return redirect("diary:account")
    return render(
        request,
        "registration/account.html",
        {
            "nav": "account",
            "form": form,
            "contacts": Contact.objects.filter(user=user),
            "contact_form": ContactForm(user=user, prefix="contact"),
            "events": SecurityEvent.objects.filter(user=user)[:20],
        },
    )


@login_required
def contact_add(request: HttpRequest) -> HttpResponse:
    form = ContactForm(request.POST or None, user=request.user, prefix="contact")
    if request.method == "POST" and form.is_valid():
        account_services.contact_create(user=request.user, **form.cleaned_data)
        messages.success(request, "Contact added.")
        return redirect("diary:account")
    return render(request, "registration/contact_form.html", {"nav": "account", "form": form})


@login_required
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(Contact, pk=pk, user=request.user)
    form = ContactForm(request.POST or None, instance=contact, user=request.user, prefix="contact")
    if request.method == "POST" and form.is_valid():
        account_services.contact_update(contact=contact, **form.cleaned_data)
        messages.success(request, "Contact saved.")
        return redirect("diary:account")
    return render(
        request,
        "registration/contact_form.html",
        {"nav": "account", "form": form, "contact": contact},
    )


@login_required
@require_POST
def contact_delete(request: HttpRequest, pk: int) -> HttpResponse:
    account_services.contact_delete(contact=get_object_or_404(Contact, pk=pk, user=request.user))
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
