"""The year's cycle, the call for proposals (征集), screening and the shortlist (docs/livelihood-year.md)."""
