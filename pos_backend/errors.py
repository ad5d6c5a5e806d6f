"""One exception type for every refusal, and the handlers that turn anything into the error body."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)


class ApiError(Exception):
    """A refusal with a stable code; rendered as ``{"error": {"code", "message", "detail"}}``."""

    def __init__(self, status: int, code: str, message: str, detail: dict[str, Any] | None = None) -> None:
        super().__init__(f"{status} {code}")
        self.status = status
        self.code = code
        self.message = message
        self.detail = detail

    def body(self) -> dict[str, Any]:
        return error_body(self.code, self.message, self.detail)


def error_body(code: str, message: str, detail: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "detail": detail}}


def not_found(what: str) -> ApiError:
    return ApiError(404, "not_found", f"找不到{what} / Not found: {what}")


def clean_validation_errors(errors: Any) -> list[dict[str, Any]]:
    # Pydantic's error dicts may hold the raw input and exception objects; keep what is JSON-safe.
    return [
        {
            "loc": [str(part) for part in err.get("loc", ())],
            "msg": str(err.get("msg")),
            "type": err.get("type"),
        }
        for err in errors
    ]


async def _on_api_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return JSONResponse(exc.body(), status_code=exc.status)


async def _on_validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = clean_validation_errors(exc.errors())
    if any(err["type"] == "json_invalid" for err in errors):
        body = error_body("malformed_json", "请求内容不是有效的 JSON / The request body is not valid JSON")
        return JSONResponse(body, status_code=400)
    body = error_body(
        "validation_failed", "请求数据不完整或格式错误 / Missing or invalid fields", {"errors": errors}
    )
    return JSONResponse(body, status_code=422)


async def _on_http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 404:
        body = error_body("not_found", "找不到该地址 / Not found")
    elif exc.status_code == 405:
        body = error_body("method_not_allowed", "不支持该请求方法 / Method not allowed")
    else:
        body = error_body("http_error", str(exc.detail))
    return JSONResponse(body, status_code=exc.status_code, headers=getattr(exc, "headers", None))


def _internal_error() -> JSONResponse:
    body = error_body("internal_error", "服务器内部错误，请稍后重试 / Internal error, please retry later")
    return JSONResponse(body, status_code=500)


class AnswerUnexpectedErrors:
    """An unhandled exception is answered with the contract's 500 body, and the connection stays open.

    Starlette's own handler for ``Exception`` re-raises after answering, and uvicorn then closes the
    keep-alive connection; a till reusing that pooled connection for its next request (the outbox's
    retry) met a dropped connection instead of an answer.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def noting_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, noting_send)
        except Exception:
            log.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if started:  # half an answer already went out: only closing the connection is left
                raise
            await _internal_error()(scope, receive, send)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _on_api_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_middleware(AnswerUnexpectedErrors)
