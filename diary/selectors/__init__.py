"""Reads, already scoped to one patient so no caller can see another's rows."""
