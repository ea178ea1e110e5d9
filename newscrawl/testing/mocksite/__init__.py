"""The mock Press TV site and its misbehaving server: demo target, end-to-end fixture,
benchmark target and failure injector (see ``build_mock_site`` and ``MockServer``)."""

from newscrawl.testing.mocksite.build import build_mock_site
from newscrawl.testing.mocksite.model import ArticleRecord, MockSite
from newscrawl.testing.mocksite.modes import MODE_PARAMS
from newscrawl.testing.mocksite.origin import RequestRecord
from newscrawl.testing.mocksite.server import DEFAULT_HOSTS, MockServer
from newscrawl.testing.mocksite.text import Quote

__all__ = ["DEFAULT_HOSTS", "MODE_PARAMS", "ArticleRecord", "MockServer", "MockSite", "Quote",
           "RequestRecord", "build_mock_site"]
