"""Agreements as versioned data, and adjudication of incidents against the terms in force."""
