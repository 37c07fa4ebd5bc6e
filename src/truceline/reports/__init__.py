"""Public and restricted periodic reports (HTML, PDF, JSON)."""
