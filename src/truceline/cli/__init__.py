"""The ``truceline`` command line. Each context contributes its commands in its own ``cli`` module."""
