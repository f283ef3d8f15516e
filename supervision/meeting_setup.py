"""Registration of meetings, inquiries and evaluation votes with the core."""
