"""Events other parts of the app listen to, so `diary` never imports them."""

from django.dispatch import Signal

# Sent after commit with entry_id, created and the entry's red_flags codes.
entry_saved = Signal()
# Sent after commit with flag_id, when a flag is newly activated and has deliveries queued.
flag_activated = Signal()
