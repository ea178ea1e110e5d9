"""The mock Press TV site and its misbehaving server: demo target, end-to-end fixture,
benchmark target and failure injector (see ``build_mock_site`` and ``MockServer``)."""

from newscrawl.mocksite.build import build_mock_site
from newscrawl.mocksite.model import ArticleRecord, MockSite
from newscrawl.mocksite.modes import MODE_PARAMS
from newscrawl.mocksite.origin import RequestRecord
from newscrawl.mocksite.server import DEFAULT_HOSTS, MockServer
from newscrawl.mocksite.text import Quote

__all__ = ["DEFAULT_HOSTS", "MODE_PARAMS", "ArticleRecord", "MockServer", "MockSite", "Quote",
           "RequestRecord", "build_mock_site"]
