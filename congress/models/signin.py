"""Sign-in by a one-time SMS code (docs/representatives-accounts.md)."""
