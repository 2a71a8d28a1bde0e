"""Two things S3 does that moto 5.2.5 does not, for the local endpoint (endpoint.py):

1. A browser-based upload (POST of a form to a bucket) is checked against its policy, as S3
   checks it: the Signature Version 4 signature of the policy, its expiration, every condition
   (exact values, starts-with, content-length-range), and no form field left uncovered. moto
   stores whatever is posted (measured: a 5,000-byte file under a content-length-range of
   1,000 and a wrong Content-Type were both stored, 204). What S3 refuses is refused here with
   S3's status and error XML:
   https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html
   https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-authentication-HTTPPOST.html
2. Event notifications to the local runtime. S3 invokes a function on ObjectCreated; moto can
   only invoke its own Lambda (in Docker). The local runtime registers, on
   POST /_territoire/s3-notifications, which bucket and prefix go to which URL; after an object
   is created there, the event (S3's notification structure) is posted to that URL before the
   upload is answered, so a test that has its answer knows the event was handed over:
   https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html

Neither touches moto's code: both read the request before moto does, and its answer after.
"""
import base64
import datetime
import hashlib
import hmac
import io
import json
import os
import sys
import threading
import urllib.parse
import urllib.request
import uuid
from xml.sax.saxutils import escape

from werkzeug.formparser import parse_form_data

NOTIFICATIONS_PATH = "/_territoire/s3-notifications"
REGION = os.environ.get("AWS_REGION", "eu-west-3")
# The local credentials (LocalAws gives the functions the same): S3 signs with the secret of the key.
ACCESS_KEY = os.environ.get("AWS_ACCESS_KEY_ID", "local")
SECRET_KEY = os.environ.get("AWS_SECRET_ACCESS_KEY", "local")
# Form fields the policy need not cover: https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html
UNCOVERED = {"x-amz-signature", "file", "policy"}


def s3_error(start_response, status, code, message, extra=None):
    parts = [f"<Code>{code}</Code>", f"<Message>{escape(message)}</Message>"]
    for name, value in (extra or {}).items():
        parts.append(f"<{name}>{escape(str(value))}</{name}>")
    parts.append(f"<RequestId>{uuid.uuid4().hex[:16].upper()}</RequestId>")
    data = ('<?xml version="1.0" encoding="UTF-8"?>\n<Error>' + "".join(parts) + "</Error>").encode()
    start_response(status, [("Content-Type", "application/xml"), ("Content-Length", str(len(data)))])
    return [data]


def form_post_bucket(environ):
    """The bucket of a browser-based upload (a multipart POST to /bucket), else None."""
    if environ.get("REQUEST_METHOD") != "POST" or environ.get("QUERY_STRING"):
        return None
    if not environ.get("CONTENT_TYPE", "").lower().startswith("multipart/form-data"):
        return None
    parts = [p for p in environ.get("PATH_INFO", "").split("/") if p]
    return parts[0] if len(parts) == 1 else None


def _signing_key(secret, day, region, service):
    key = ("AWS4" + secret).encode()
    for part in (day, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key


class PolicyRefusal(Exception):
    def __init__(self, status, code, message, extra=None):
        super().__init__(message)
        self.status, self.code, self.message, self.extra = status, code, message, extra or {}


def _policy_failed(condition):
    return PolicyRefusal("403 Forbidden", "AccessDenied",
                         "Invalid according to Policy: Policy Condition failed: " + json.dumps(condition))


def check_form_post(bucket, fields, file_size, now=None):
    """Raises PolicyRefusal as S3 would refuse the upload; returns the key otherwise.
    fields: the form's fields other than the file, names as sent."""
    lower = {name.lower(): value for name, value in fields.items()}
    if "policy" not in lower:
        # No policy: an anonymous POST, which a private bucket refuses.
        raise PolicyRefusal("403 Forbidden", "AccessDenied", "Access Denied")
    if lower.get("x-amz-algorithm") != "AWS4-HMAC-SHA256":
        raise PolicyRefusal("400 Bad Request", "InvalidArgument", "Unsupported algorithm: the local endpoint takes AWS4-HMAC-SHA256",
                            {"ArgumentName": "x-amz-algorithm"})
    credential = lower.get("x-amz-credential", "").split("/")
    if len(credential) != 5 or credential[3] != "s3" or credential[4] != "aws4_request":
        raise PolicyRefusal("400 Bad Request", "InvalidArgument", "Malformed credential", {"ArgumentName": "x-amz-credential"})
    if credential[0] != ACCESS_KEY:
        raise PolicyRefusal("403 Forbidden", "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.",
                            {"AWSAccessKeyId": credential[0]})
    expected = hmac.new(_signing_key(SECRET_KEY, credential[1], credential[2], "s3"), lower["policy"].encode(),
                        hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, lower.get("x-amz-signature", "")):
        raise PolicyRefusal("403 Forbidden", "SignatureDoesNotMatch",
                            "The request signature we calculated does not match the signature you provided. "
                            "Check your key and signing method.")
    try:
        policy = json.loads(base64.b64decode(lower["policy"], validate=True))
        expiration = datetime.datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
        conditions = policy["conditions"]
    except (ValueError, KeyError, TypeError):
        raise PolicyRefusal("400 Bad Request", "InvalidPolicyDocument", "Invalid Policy: Invalid JSON.")
    now = now or datetime.datetime.now(datetime.timezone.utc)
    if expiration <= now:
        raise PolicyRefusal("403 Forbidden", "AccessDenied", "Invalid according to Policy: Policy expired.")
    values = dict(lower, bucket=bucket)
    covered = set()
    length_range = None
    for condition in conditions:
        if isinstance(condition, dict):
            if len(condition) != 1:
                raise PolicyRefusal("400 Bad Request", "InvalidPolicyDocument", "Invalid Policy: Invalid Simple-Condition.")
            (name, value), = condition.items()
            if values.get(name.lower()) != value:
                raise _policy_failed(["eq", "$" + name, value])
            covered.add(name.lower())
        elif isinstance(condition, list) and len(condition) == 3 and condition[0] == "content-length-range":
            length_range = (int(condition[1]), int(condition[2]))
        elif isinstance(condition, list) and len(condition) == 3 and condition[0] in ("eq", "starts-with") \
                and isinstance(condition[1], str) and condition[1].startswith("$"):
            name = condition[1][1:].lower()
            got = values.get(name, "")
            if condition[0] == "eq" and got != condition[2]:
                raise _policy_failed(condition)
            if condition[0] == "starts-with" and not got.startswith(condition[2]):
                raise _policy_failed(condition)
            covered.add(name)
        else:
            raise PolicyRefusal("400 Bad Request", "InvalidPolicyDocument", "Invalid Policy: Invalid Condition: " + json.dumps(condition))
    extra = [name for name in fields if name.lower() not in covered | UNCOVERED and not name.lower().startswith("x-ignore-")]
    if extra:
        raise PolicyRefusal("403 Forbidden", "AccessDenied", "Invalid according to Policy: Extra input fields: " + ", ".join(extra))
    if length_range is not None:
        if file_size > length_range[1]:
            raise PolicyRefusal("400 Bad Request", "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size",
                                {"ProposedSize": file_size, "MaxSizeAllowed": length_range[1]})
        if file_size < length_range[0]:
            raise PolicyRefusal("400 Bad Request", "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size",
                                {"ProposedSize": file_size, "MinSizeAllowed": length_range[0]})
    return lower.get("key")


def read_form(environ, raw):
    """The form's fields and its file's size, parsed from a copy of the request."""
    copy = dict(environ)
    copy["wsgi.input"] = io.BytesIO(raw)
    copy["CONTENT_LENGTH"] = str(len(raw))
    _, form, files = parse_form_data(copy)
    fields = {name: form.get(name) for name in form.keys() if name != "file"}
    upload = files.get("file")
    size = len(upload.read()) if upload is not None else len((form.get("file") or "").encode())
    return fields, size


class Notifications:
    """Where object-created events go: [{bucket, prefix, url}], set by the local runtime."""

    def __init__(self):
        self.targets = []
        self.lock = threading.Lock()

    def control(self, environ, start_response, raw):
        method = environ.get("REQUEST_METHOD")
        try:
            if method == "POST":
                spec = json.loads(raw or b"{}")
                targets = [{"bucket": str(t["bucket"]), "prefix": str(t.get("prefix", "")), "url": str(t["url"])}
                           for t in spec.get("targets", [])]
                with self.lock:
                    self.targets = targets
            elif method == "DELETE":
                with self.lock:
                    self.targets = []
            elif method != "GET":
                raise ValueError("use GET, POST or DELETE")
        except (ValueError, KeyError, TypeError) as e:
            data = json.dumps({"error": str(e)}).encode()
            start_response("400 Bad Request", [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
            return [data]
        data = json.dumps({"targets": self.targets}).encode()
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
        return [data]

    def created(self, environ, raw, status):
        """(bucket, key, event name, size) when the request created an object with success, else None."""
        if not status.startswith("2"):
            return None
        method = environ.get("REQUEST_METHOD")
        query = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        parts = environ.get("PATH_INFO", "").lstrip("/").split("/", 1)
        bucket = form_post_bucket(environ)
        if bucket is not None:
            fields, size = read_form(environ, raw)
            key = {k.lower(): v for k, v in fields.items()}.get("key")
            return (bucket, key, "ObjectCreated:Post", size) if key else None
        if len(parts) != 2 or not parts[1] or "/s3/aws4_request" not in environ.get("HTTP_AUTHORIZATION", "") \
                and "X-Amz-Credential" not in query:
            return None
        key = urllib.parse.unquote(parts[1])
        if method == "PUT" and "partNumber" not in query and not (set(query) & {"acl", "tagging", "retention", "legal-hold"}):
            name = "ObjectCreated:Copy" if environ.get("HTTP_X_AMZ_COPY_SOURCE") else "ObjectCreated:Put"
            size = int(environ.get("HTTP_X_AMZ_DECODED_CONTENT_LENGTH") or environ.get("CONTENT_LENGTH") or 0)
            return parts[0], key, name, size
        if method == "POST" and "uploadId" in query:
            return parts[0], key, "ObjectCreated:CompleteMultipartUpload", 0
        return None

    def send(self, bucket, key, event_name, size):
        with self.lock:
            targets = [t for t in self.targets if t["bucket"] == bucket and key.startswith(t["prefix"])]
        if not targets:
            return
        now = datetime.datetime.now(datetime.timezone.utc)
        event = {"Records": [{
            "eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": REGION,
            "eventTime": now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z",
            "eventName": event_name, "userIdentity": {"principalId": "local"},
            "requestParameters": {"sourceIPAddress": "127.0.0.1"}, "responseElements": {},
            "s3": {"s3SchemaVersion": "1.0", "configurationId": "local",
                   "bucket": {"name": bucket, "ownerIdentity": {"principalId": "local"}, "arn": f"arn:aws:s3:::{bucket}"},
                   # Keys in events are URL-encoded, spaces as '+', as S3 writes them.
                   "object": {"key": urllib.parse.quote_plus(key, safe="/"), "size": size,
                              "sequencer": f"{int(now.timestamp() * 1e6):016X}"}}}]}
        data = json.dumps(event).encode()
        for target in targets:
            try:
                request = urllib.request.Request(target["url"], data=data, method="POST",
                                                 headers={"Content-Type": "application/json"})
                with urllib.request.urlopen(request, timeout=10) as answer:
                    answer.read()
            except OSError as e:
                print(f"[s3-notifications] {target['url']} did not take the event of {bucket}/{key}: {e}", file=sys.stderr, flush=True)


def cors_headers(bucket, environ):
    """The CORS headers S3 adds to an answer to a browser: those of the bucket's first rule that
    allows the request's Origin and method (moto adds none to a form POST's answer, and its global
    CORS is off, see endpoint.py). https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html"""
    origin = environ.get("HTTP_ORIGIN")
    if not origin:
        return []
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.s3.models import s3_backends
    from moto.s3.utils import cors_matches_origin
    try:
        rules = s3_backends[DEFAULT_ACCOUNT_ID]["aws"].get_bucket(bucket).cors
    except Exception:  # no such bucket: S3's own answer says so, with no CORS header
        return []
    method = environ.get("REQUEST_METHOD", "")
    for rule in rules:
        methods = rule.allowed_methods if isinstance(rule.allowed_methods, list) else [rule.allowed_methods]
        origins = rule.allowed_origins if isinstance(rule.allowed_origins, list) else [rule.allowed_origins]
        if method in methods and cors_matches_origin(origin, origins):
            return [("Access-Control-Allow-Origin", origin), ("Access-Control-Allow-Methods", ", ".join(methods)), ("Vary", "Origin")]
    return []
