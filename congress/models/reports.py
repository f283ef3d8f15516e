"""Models of the monthly and yearly reports."""
