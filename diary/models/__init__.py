from .accounts import Contact, SecurityEvent, User
from .clinicians import Follow, Invitation
from .entries import Entry, EntryLocation
from .flags import AlertDelivery, Flag
from .outcomes import CheckIn, TreatmentEvent

__all__ = [
    "AlertDelivery",
    "CheckIn",
    "Contact",
    "Entry",
    "EntryLocation",
    "Flag",
    "Follow",
    "Invitation",
    "SecurityEvent",
    "TreatmentEvent",
    "User",
]
