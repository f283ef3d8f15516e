"""Department evaluation (工作评议, 云评议): representatives score departments (or appointed
officials) on weighted criteria by secret ballot on the core's ballot box
(docs/supervision-evaluation.md)."""
