"""Registration of topic selection from the data and linked sources with the core (imported by SupervisionConfig.ready)."""
