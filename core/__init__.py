"""Glue both apps use: request helpers, text formatting, colours. No models, no app."""
