"""The floor under any Django view: a WSGI callable with no framework at all, served by the
same gunicorn command, so that gunicorn's and the kernel's own cost per request is measured."""


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "5")])
    return [b"hello"]
