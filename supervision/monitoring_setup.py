"""Registration of monitoring points and their questionnaires with the core (imported by SupervisionConfig.ready)."""
