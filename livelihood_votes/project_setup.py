"""Registration of the livelihood year's projects with the core (imported by
LivelihoodVotesConfig.ready; docs/livelihood-year.md)."""
