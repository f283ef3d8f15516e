"""Models of the big screen (数据大屏)."""
