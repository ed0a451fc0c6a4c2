"""Writes. Views, serializers, tasks and commands call these; nothing else writes models."""
