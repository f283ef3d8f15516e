"""Registration of the livelihood year's ratings with the core (imported by
LivelihoodVotesConfig.ready; docs/livelihood-year.md)."""
