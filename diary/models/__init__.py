from .accounts import Contact, SecurityEvent, User
from .entries import Entry, EntryLocation
from .flags import AlertDelivery, Flag

__all__ = ["AlertDelivery", "Contact", "Entry", "EntryLocation", "Flag", "SecurityEvent", "User"]
