"""The elected projects' implementation: plans, monthly progress, inspections, public pages (docs/livelihood-year.md)."""
