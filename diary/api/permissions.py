from rest_framework.throttling import AnonRateThrottle


class TokenRequestThrottle(AnonRateThrottle):
    """Caps token requests per client address, on top of the per-account lock-out."""

    scope = "token"
