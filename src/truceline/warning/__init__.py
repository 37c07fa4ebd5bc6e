"""Early warning of retaliation: the cooling-off protocol and escalation as cross-excitation."""
