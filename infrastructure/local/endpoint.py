"""The project's local AWS endpoint: moto in server mode, one request at a time.

moto's DynamoDB backend evaluates a condition and applies the write in plain Python with
no lock, so two concurrent conditional writes on one key could both pass their check.
DynamoDB itself never allows that. Serialising every request behind one lock restores
the atomicity that the project's invariants rely on (see docs/decisions.md); the
DynamoDB contract tests prove it with concurrent writers.

Two things DynamoDB does that moto does not, added here:
- TransactWriteItems honours its ClientRequestToken for ten minutes: a retry of a
  transaction that succeeded (the SDK retries with the same token when an answer is lost)
  succeeds again without applying anything, and the same token with another request is an
  IdempotentParameterMismatchException.
- Faults on purpose. Behind one lock, conflicts, throttling and lost connections never
  happen, so the code paths that handle them would go untested. Tests switch faults on with
  POST /_territoire/faults (and off with DELETE): per operation and table, a rate of
  transaction conflicts, throttling, internal errors, or a connection closed before or
  after the request is applied.
- S3 browser-based uploads are checked against their POST policy, and object-created events
  reach the local runtime's functions (s3_local.py).

moto's own costs that grew with the tables, and its memory that grew forever, are patched
at startup by moto_patches.py (pinned to the moto version; it refuses to start otherwise).
"""
import argparse
import hashlib
import io
import json
import random
import socket
import sys
import threading
import time
import os

# moto's server answers every origin (flask-cors) unless told not to; S3 in AWS answers a
# browser only as the bucket's CORS rules say (template.yaml, ReportPhotosBucket), so the local
# S3 does the same: https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html
os.environ.setdefault("MOTO_DISABLE_GLOBAL_CORS", "true")

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import make_server

import moto_patches
import s3_local

CONTROL_PATH = "/_territoire/faults"
# The mails SES accepted (moto keeps them in its backend; its /moto-api/data.json cannot list them
# here, because moto_patches turns model instance tracking off): what a mailbox would receive.
SES_SENT_PATH = "/_territoire/ses/sent"
TOKEN_WINDOW_SECONDS = 600
DYNAMODB_ERRORS = "com.amazonaws.dynamodb.v20120810#"

# What each fault answers, as DynamoDB's JSON protocol writes its errors.
FAULTS = {
    "TransactionConflict", "ProvisionedThroughputExceeded", "Throttling", "InternalServerError",
    "DropBeforeApplying", "DropAfterApplying",
}


class FaultRules:
    """The faults in force: a list of rules, each {operation, table, fault, rate, times}."""

    def __init__(self):
        self.rules = []
        self.random = random.Random()
        self.injected = {}

    def replace(self, spec):
        rules = []
        for rule in spec.get("rules", []):
            fault = rule.get("fault")
            if fault not in FAULTS:
                raise ValueError(f"fault must be one of {sorted(FAULTS)}")
            rate = float(rule.get("rate", 1.0))
            if not 0.0 <= rate <= 1.0:
                raise ValueError("rate must be between 0 and 1")
            times = rule.get("times")
            rules.append({
                "operation": rule.get("operation"),  # None: every operation
                "table": rule.get("table"),          # None: every table
                "fault": fault,
                "rate": rate,
                "times": None if times is None else int(times),
            })
        self.rules = rules
        self.random = random.Random(spec.get("seed"))
        self.injected = {}

    def pick(self, operation, tables):
        for rule in self.rules:
            if rule["operation"] not in (None, operation):
                continue
            if rule["table"] is not None and rule["table"] not in tables:
                continue
            if rule["times"] is not None and rule["times"] <= 0:
                continue
            if self.random.random() >= rule["rate"]:
                continue
            if rule["times"] is not None:
                rule["times"] -= 1
            self.injected[rule["fault"]] = self.injected.get(rule["fault"], 0) + 1
            return rule["fault"]
        return None


def tables_named(body):
    """The tables a DynamoDB request names, wherever its operation puts them."""
    names = set()
    if not isinstance(body, dict):
        return names
    if isinstance(body.get("TableName"), str):
        names.add(body["TableName"])
    for item in body.get("TransactItems", []) or []:
        for part in (item or {}).values():
            if isinstance(part, dict) and isinstance(part.get("TableName"), str):
                names.add(part["TableName"])
    if isinstance(body.get("RequestItems"), dict):
        names.update(body["RequestItems"].keys())
    return names


def dynamodb_error(start_response, status, error, message, extra=None):
    payload = {"__type": DYNAMODB_ERRORS + error, "message": message}
    payload.update(extra or {})
    data = json.dumps(payload).encode()
    start_response(status, [("Content-Type", "application/x-amz-json-1.0"), ("Content-Length", str(len(data)))])
    return [data]


def drop_connection(environ, start_response):
    """Shuts the client's connection without an answer, as a network failure would; the
    server's attempt to answer then finds it gone and logs a dropped connection."""
    conn = environ.get("werkzeug.socket")
    if conn is not None:
        try:
            conn.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
    if start_response is not None:  # after applying, moto's answer has set the headers already
        start_response("500 Internal Server Error", [("Content-Length", "0")])
    return []


class LocalAws:
    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()
        self.faults = FaultRules()
        self.tokens = {}  # ClientRequestToken -> (request digest, time, status, headers, body)
        self.notifications = s3_local.Notifications()

    def __call__(self, environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        if length:
            raw = environ["wsgi.input"].read(length)
        elif environ.get("wsgi.input_terminated"):  # chunked: the server marks the end
            raw = environ["wsgi.input"].read()
        else:
            raw = b""
        environ["wsgi.input"] = io.BytesIO(raw)
        # What needs no shared state is done before taking the lock (the lock is the
        # endpoint's only queue: py-spy showed a third of the threads' time waiting on it).
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        operation = target.split(".", 1)[1] if target.startswith("DynamoDB_") and "." in target else None
        body = {}
        if operation is not None:
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                pass
        if operation is None:
            return self.other(environ, start_response, raw)
        with self.lock:
            replayed = self.replay(operation, body, raw, start_response)
            if replayed is not None:
                return replayed
            fault = self.faults.pick(operation, tables_named(body))
            if fault == "DropBeforeApplying":
                return drop_connection(environ, start_response)
            if fault == "TransactionConflict" and operation in ("TransactWriteItems", "TransactGetItems"):
                reasons = [{"Code": "None"} for _ in body.get("TransactItems", [])] or [{"Code": "None"}]
                reasons[self.faults.random.randrange(len(reasons))] = {
                    "Code": "TransactionConflict", "Message": "Transaction is ongoing for the item"}
                codes = ", ".join(r["Code"] for r in reasons)
                return dynamodb_error(start_response, "400 Bad Request", "TransactionCanceledException",
                                      f"Transaction cancelled, please refer cancellation reasons for specific reasons [{codes}]",
                                      {"CancellationReasons": reasons})
            if fault == "TransactionConflict":
                # A single-item write that meets a transaction in flight on its item.
                return dynamodb_error(start_response, "400 Bad Request", "TransactionConflictException",
                                      "Transaction is ongoing for the item")
            if fault == "ProvisionedThroughputExceeded":
                return dynamodb_error(start_response, "400 Bad Request", "ProvisionedThroughputExceededException",
                                      "The level of configured provisioned throughput for the table was exceeded.")
            if fault == "Throttling":
                return dynamodb_error(start_response, "400 Bad Request", "ThrottlingException", "Rate of requests exceeds the allowed throughput.")
            if fault == "InternalServerError":
                return dynamodb_error(start_response, "500 Internal Server Error", "InternalServerError", "Internal server error")
            captured = {}

            def capture(status, headers, exc_info=None):
                captured["status"], captured["headers"] = status, headers
                return start_response(status, headers, exc_info)

            # Consume the whole response inside the lock: moto builds it lazily.
            answer = list(self.app(environ, capture))
            self.remember(operation, body, raw, captured, answer)
            if fault == "DropAfterApplying":
                return drop_connection(environ, None)
            return answer

    def other(self, environ, start_response, raw):
        """Every request but DynamoDB's: the controls, and S3's checks and events around moto."""
        if environ.get("PATH_INFO") == s3_local.NOTIFICATIONS_PATH:
            return self.notifications.control(environ, start_response, raw)
        bucket = s3_local.form_post_bucket(environ)
        if bucket is not None:
            fields, size = s3_local.read_form(environ, raw)
            cors = s3_local.cors_headers(bucket, environ)
            if cors:
                answer_to = start_response

                def start_response(status, headers, exc_info=None):
                    return answer_to(status, list(headers) + cors, exc_info)
            try:
                s3_local.check_form_post(bucket, fields, size)
            except s3_local.PolicyRefusal as refusal:
                return s3_local.s3_error(start_response, refusal.status, refusal.code, refusal.message, refusal.extra)
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"] = status
            return start_response(status, headers, exc_info)

        with self.lock:
            if environ.get("PATH_INFO") == CONTROL_PATH:
                return self.control(environ, start_response, raw)
            if environ.get("PATH_INFO") == SES_SENT_PATH:
                return sent_mails(start_response)
            answer = list(self.app(environ, capture))
        # Outside the lock: the function the event invokes calls this endpoint back.
        created = self.notifications.created(environ, raw, captured.get("status", ""))
        if created is not None:
            self.notifications.send(*created)
        return answer

    def replay(self, operation, body, raw, start_response):
        token = body.get("ClientRequestToken") if operation == "TransactWriteItems" else None
        if not token:
            return None
        now = time.monotonic()
        self.tokens = {t: v for t, v in self.tokens.items() if now - v[1] < TOKEN_WINDOW_SECONDS}
        seen = self.tokens.get(token)
        if seen is None:
            return None
        if seen[0] != hashlib.sha256(raw).hexdigest():
            return dynamodb_error(start_response, "400 Bad Request", "IdempotentParameterMismatchException",
                                  "The request uses the same client token as a previous, but non-identical request.")
        start_response(seen[2], seen[3])
        return [seen[4]]

    def remember(self, operation, body, raw, captured, answer):
        token = body.get("ClientRequestToken") if operation == "TransactWriteItems" else None
        if token and captured.get("status", "").startswith("200"):
            self.tokens[token] = (hashlib.sha256(raw).hexdigest(), time.monotonic(), captured["status"],
                                  captured["headers"], b"".join(answer))

    def control(self, environ, start_response, raw):
        method = environ.get("REQUEST_METHOD")
        try:
            if method == "POST":
                self.faults.replace(json.loads(raw or b"{}"))
            elif method == "DELETE":
                self.faults.replace({})
            elif method != "GET":
                raise ValueError("use GET, POST or DELETE")
        except ValueError as e:
            data = json.dumps({"error": str(e)}).encode()
            start_response("400 Bad Request", [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
            return [data]
        data = json.dumps({"rules": self.faults.rules, "injected": self.faults.injected}).encode()
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
        return [data]


def sent_mails(start_response):
    from moto.ses.models import ses_backends
    mails = []
    for account in list(ses_backends.keys()):
        for region, backend in list(ses_backends[account].items()):
            for m in backend.sent_messages:
                raw = getattr(m, "raw_data", None)
                if raw is not None:
                    mails.append({"id": m.id, "region": region, "source": m.source,
                                  "destinations": list(m.destinations), "raw": raw})
    data = json.dumps({"mails": mails}).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]


class QuietRequestHandler(MotoRequestHandler):
    """No access log line per request: werkzeug formats and writes one for every call (about
    a tenth of the endpoint's time under load, measured with py-spy), and nobody reads them
    (the launcher stops reading after the ready line). Errors are still logged."""

    def log_request(self, code="-", size="-"):
        pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--shape-walk", action="store_true",
                        help="answer reads through moto's shape walk (moto_patches patch 4 off): to benchmark it")
    parser.add_argument("--no-request-caches", action="store_true",
                        help="parse every expression on every request (moto_patches patch 5 off): to benchmark it")
    args = parser.parse_args()
    moto_patches.apply(items_fast=not args.shape_walk, request_caches=not args.no_request_caches)
    app = LocalAws(DomainDispatcherApplication(create_backend_app))
    server = make_server(args.host, args.port, app, threaded=True, request_handler=QuietRequestHandler)
    # The launcher waits for this line to learn the URL.
    print(f"territoire-local-aws ready http://{args.host}:{server.port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
