"""Shared web glue both apps use: request limits, no-store caching, rate limits, log redaction."""
