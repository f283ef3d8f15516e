"""Registration of the topic dossier and the supervision dashboard panel with the core (imported by SupervisionConfig.ready)."""
