"""Messenger channels answering from the same knowledge base as the site: Telegram and KakaoTalk."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from helpcenter.web.channels import kakao, telegram

    app.register_blueprint(telegram.bp)
    app.register_blueprint(kakao.bp)
