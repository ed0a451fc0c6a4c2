"""Web forms for signing up, logging in and account settings."""

from __future__ import annotations

import zoneinfo

from django import forms
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm

from core.web import client_ip, user_agent
from diary.models import Contact, User
from diary.selectors.accounts import contact_list, user_by_email
from diary.services import accounts as account_services

LOCKED = "Too many failed attempts. Wait 15 minutes or reset your password."


def _zone_choices() -> list[tuple[str, str]]:
    return [(zone, zone.replace("_", " ")) for zone in sorted(zoneinfo.available_timezones())]


class SignUpForm(forms.Form):
    email = forms.EmailField(
        label="E-mail", widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        label="Password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    timezone = forms.ChoiceField(
        label="Time zone",
        choices=_zone_choices,
        initial="UTC",
        help_text="Used to tell morning from night in your diary.",
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            # static/js/zone.js fills in the phone's own zone; a re-shown form keeps the choice.
            self.fields["timezone"].widget.attrs["data-browser-zone"] = ""

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].lower()
        if user_by_email(email=email) is not None:
            raise forms.ValidationError(
                "An account with this e-mail already exists. Try logging in."
            )
        return email

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("email") and cleaned.get("password"):
            try:
                password_validation.validate_password(
                    cleaned["password"], User(email=cleaned["email"])
                )
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class LoginForm(AuthenticationForm):
    """Django's log-in form plus a lock-out after repeated failures."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "E-mail or password is not correct.",
        "locked": LOCKED,
    }

    def clean(self) -> dict:
        email = (self.cleaned_data.get("username") or "").lower()
        password = self.cleaned_data.get("password")
        ip = client_ip(self.request) if self.request else None
        if email and account_services.login_is_locked(email=email, ip=ip):
            raise forms.ValidationError(self.error_messages["locked"], code="locked")
        if email and password:
            self.user_cache = authenticate(self.request, username=email, password=password)
            if self.user_cache is None:
                account_services.login_failed(
                    email=email, ip=ip, user_agent=user_agent(self.request) if self.request else ""
                )
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
            account_services.login_succeeded(email=email)
        return self.cleaned_data


class AdminLoginForm(LoginForm):
    """The admin's log-in with the site's lock-out; only staff get in."""

    error_messages = {
        **LoginForm.error_messages,
        "invalid_login": "E-mail or password is not correct, or the account is not staff.",
    }

    def confirm_login_allowed(self, user: User) -> None:
        super().confirm_login_allowed(user)
        if not user.is_staff:
            raise self.get_invalid_login_error()


class ThrottledPasswordResetForm(PasswordResetForm):
    """Password reset, throttled per address and per e-mail, with the same work for every e-mail.

    The request only queues the e-mail address; the worker looks the account up and sends.
    A known and an unknown address therefore take the same time to answer.
    """

    error_messages = {"throttled": "Too many requests from here. Try again in an hour."}

    def __init__(self, *args: object, request: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].lower()
        ip = client_ip(self.request) if self.request else None
        if not account_services.password_reset_allowed(email=email, ip=ip):
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        return email


class AccountForm(forms.ModelForm):
    timezone = forms.ChoiceField(label="Time zone", choices=_zone_choices)
    current_password = forms.CharField(
        label="Your password (needed to change where alerts go)",
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    class Meta:
        model = User
        fields = ["timezone", "alert_email", "reminder_time"]
        labels = {
            "alert_email": "Send alerts to (leave empty for your log-in e-mail)",
            "reminder_time": "Daily reminder time (leave empty for none)",
        }
        widgets = {"reminder_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}

    def clean_alert_email(self) -> str:
        return (self.cleaned_data.get("alert_email") or "").lower()

    def clean(self) -> dict:
        cleaned = super().clean()
        if "alert_email" in self.changed_data and not self.instance.check_password(
            cleaned.get("current_password") or ""
        ):
            self.add_error(
                "current_password", "Enter your current password to change where alerts go."
            )
        return cleaned

    def changes(self) -> dict:
        """The changed settings, as `user_update` takes them."""
        return {
            name: self.cleaned_data[name]
            for name in ("timezone", "alert_email", "reminder_time")
            if name in self.changed_data
        }


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "email", "receive_alerts"]
        labels = {"name": "Clinician's name", "receive_alerts": "Send them urgent alerts"}

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].lower()
        taken = contact_list(user=self.user).filter(email=email)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError("You already have a contact with this e-mail.")
        return email


class ShareNotesForm(forms.Form):
    """Whether a following clinician may read your notes: the toggle's button sends on or off."""

    share_notes = forms.TypedChoiceField(
        choices=[("on", "Share your notes"), ("off", "Stop sharing your notes")],
        coerce=lambda value: value == "on",
    )


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password, to confirm",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That password is not correct.")
        return password
