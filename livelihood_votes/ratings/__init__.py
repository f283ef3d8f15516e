"""The year-end rating (满意度测评) of a cycle's projects, the rectification of a project
rated 不满意, and the year's report (docs/livelihood-rating.md)."""
