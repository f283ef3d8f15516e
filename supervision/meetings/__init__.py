"""Standing-committee meetings, reports, inquiry questions and satisfaction votes
(docs/supervision-meetings.md)."""
