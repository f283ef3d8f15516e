"""The year-end rating (满意度测评) of the year's projects and the rectification of a
project rated 不满意 (docs/livelihood-year.md)."""
