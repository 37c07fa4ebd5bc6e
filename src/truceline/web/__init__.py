"""The web application: app factory, API routers of every context, pages and static files."""
