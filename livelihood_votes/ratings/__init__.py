"""The year-end rating (满意度测评), rectification and the year's report (docs/livelihood-year.md)."""
