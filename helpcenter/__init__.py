"""Multilingual help-center search: content -> index -> search -> insights -> web, and the `kb` CLI on top."""
