"""Department evaluations (工作评议, 云评议): criteria, windows and scores."""
