"""The project's local AWS endpoint: moto in server mode, one request at a time.

moto's DynamoDB backend evaluates a condition and applies the write in plain Python with
no lock, so two concurrent conditional writes on one key could both pass their check.
DynamoDB itself never allows that. Serialising every request behind one lock restores
the atomicity that the project's invariants rely on (see docs/decisions.md); the
DynamoDB contract tests prove it with concurrent writers.
"""
import argparse
import sys
import threading

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import make_server


def serialised(app):
    lock = threading.Lock()

    def handle(environ, start_response):
        with lock:
            # Consume the whole response inside the lock: moto builds it lazily.
            return list(app(environ, start_response))

    return handle


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    args = parser.parse_args()
    app = serialised(DomainDispatcherApplication(create_backend_app))
    server = make_server(args.host, args.port, app, threaded=True, request_handler=MotoRequestHandler)
    # The launcher waits for this line to learn the URL.
    print(f"territoire-local-aws ready http://{args.host}:{server.port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
