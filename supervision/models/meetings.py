"""Standing-committee meetings, reports, inquiries and evaluation votes."""
