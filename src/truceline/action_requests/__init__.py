"""Requests for action and intelligence shared between the parties, tracked to a response."""
