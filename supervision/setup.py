"""Registration of plans, topics and findings with the core."""
