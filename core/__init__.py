"""Glue both apps use: request helpers and limits, no-store caching, rate limits, log
redaction, text formatting, colours. No models, no app."""
