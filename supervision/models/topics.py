"""Supervision plans, topics and findings."""
