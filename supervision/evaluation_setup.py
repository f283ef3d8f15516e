"""Registration of department evaluations with the core."""
