"""Rules per congress: the value each congress has chosen for a rule, inherited from the
congress above when it has chosen none (docs/rules.md)."""
