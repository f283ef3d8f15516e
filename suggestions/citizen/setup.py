"""Registrations with the core (case types, navigation, home cards, demo data)."""
