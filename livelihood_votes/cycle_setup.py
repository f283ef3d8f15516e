"""Registration of the livelihood year's cycles with the core (imported by
LivelihoodVotesConfig.ready; docs/livelihood-year.md)."""
