"""Region boundaries (GeoJSON) loaded by administrators for the dashboard's map (docs/dashboard.md)."""
