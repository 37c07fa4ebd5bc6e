"""Reading text: proposed incident facts from news and party statements (``reader``)."""
