"""Account work done by the worker.

The password-reset e-mail is sent by the worker so the request does the same for any
address: a request that looked the account up and talked to the mail server only for known
addresses answered measurably slower for them: anyone could tell who has an account.

Expired API tokens are deleted here, periodically: authentication only refuses them.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction
from kombu.exceptions import OperationalError

from diary.services.accounts import tokens_purge_expired

logger = logging.getLogger(__name__)

RESET_EMAIL_TEMPLATES = {
    "subject_template_name": "registration/password_reset_subject.txt",
    "email_template_name": "registration/password_reset_email.txt",
}


@shared_task(
    name="diary.password_reset_send",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def password_reset_send(email: str) -> None:
    """Send the reset link if an active account has this address; nothing otherwise."""
    form = PasswordResetForm(data={"email": email})
    if not form.is_valid():
        return
    form.save(
        domain_override=settings.SITE_URL.split("://", 1)[-1],
        use_https=settings.SITE_URL.startswith("https"),
        extra_email_context={"site_url": settings.SITE_URL},
        **RESET_EMAIL_TEMPLATES,
    )


@shared_task(name="diary.tokens_purge_expired")
def purge_expired_tokens() -> int:
    """Delete the API tokens idle past their expiry (90 days, CONTRACT §4)."""
    deleted = tokens_purge_expired()
    if deleted:
        logger.info("%d expired API tokens deleted", deleted)
    return deleted


def password_reset_enqueue(*, email: str) -> None:
    """Queue the reset e-mail once the request's transaction commits."""

    def publish() -> None:
        try:
            password_reset_send.delay(email)
        except OperationalError:
            # The broker is down: the patient sees the same page and can ask again.
            logger.exception("could not queue a password-reset e-mail")

    transaction.on_commit(publish)
