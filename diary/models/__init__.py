from .accounts import Contact, SecurityEvent, User
from .clinicians import Follow, Invitation
from .entries import Entry, EntryLocation
from .flags import AlertDelivery, Flag

__all__ = [
    "AlertDelivery",
    "Contact",
    "Entry",
    "EntryLocation",
    "Flag",
    "Follow",
    "Invitation",
    "SecurityEvent",
    "User",
]
