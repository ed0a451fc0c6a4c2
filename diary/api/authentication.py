"""API token authentication in one query per request (CONTRACT §4: hashed, 90-day idle expiry).

knox's own class reads the token joined to its user and then every other token of that user,
to delete the expired ones: two round trips on every request. Here the token is fetched by
its digest (the primary key) with its user in one SELECT, only the token in hand is checked
for expiry, and the expired tokens of everyone are deleted by a periodic task instead
(diary.tokens_purge_expired).
"""

from __future__ import annotations

import binascii

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.models import AuthToken
from knox.settings import CONSTANTS, knox_settings
from rest_framework import exceptions

from diary.models import User


class OneQueryTokenAuthentication(TokenAuthentication):
    """knox tokens, looked up with their user in one query; expiry moved on at most hourly."""

    def authenticate_credentials(self, token: bytes) -> tuple[User, AuthToken]:
        invalid = _("Invalid token.")
        try:
            clear = token.decode("utf-8")
            digest = hash_token(clear)
        except (UnicodeDecodeError, TypeError, binascii.Error):
            raise exceptions.AuthenticationFailed(invalid) from None
        auth_token = (
            AuthToken.objects.select_related("user")
            .filter(pk=digest, token_key=clear[: CONSTANTS.TOKEN_KEY_LENGTH])
            .first()
        )
        if auth_token is None:
            raise exceptions.AuthenticationFailed(invalid)
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            # Gone for good: the next periodic purge would delete it anyway.
            auth_token.delete()
            raise exceptions.AuthenticationFailed(invalid)
        if knox_settings.AUTO_REFRESH and auth_token.expiry is not None:
            # knox writes the new expiry only when it moves by more than MIN_REFRESH_INTERVAL.
            self.renew_token(auth_token)
        return self.validate_user(auth_token)


class OneQueryTokenScheme(KnoxTokenScheme):
    """The OpenAPI security scheme of knox's tokens, for this subclass (same header, prefix)."""

    target_class = "diary.api.authentication.OneQueryTokenAuthentication"
