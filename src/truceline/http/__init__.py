"""The thin HTTP layer: app factory, request dependencies, languages, templates,
page rendering, error pages, security and retry middleware, static assets.

It imports only ``truceline.db``, ``truceline.config`` and the access policy
(``truceline.accounts.roles``, ``policy``, ``csrf``), never a context. Contexts
depend on it through its modules (``deps``, ``i18n``, ``rendering``, ``access``,
``labels``, ``registry``) and hand it their routers, navigation items and
template folders through an ``AppRegistry``; the composition root
(``truceline.app``) lists the contexts and builds the application.
"""
