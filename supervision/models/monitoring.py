"""Monitoring points of a campaign and the answers to their QR questionnaires (docs/supervision-monitoring.md)."""
