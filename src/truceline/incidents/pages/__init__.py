"""What the incidents context shows on pages: corroboration of an incident's reports."""
