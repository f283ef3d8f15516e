"""A topic's linked sources: citizen problems and suggestions behind it (docs/supervision-sources.md)."""
