"""The one event another app listens to, so `diary` never imports it."""

from django.dispatch import Signal

# Sent after commit with flag_id, when a flag is newly activated and has deliveries queued.
flag_activated = Signal()
