"""An independent SigV4 signer for the tests: AWS's own botocore (Debian's python3-botocore) signs the requests the
module signs, from the decoded key, as the AWS SDK would send them. Reads a JSON list of cases on stdin, writes a JSON
list of {path, authorization, presigned} on stdout.

Each case: {"endpoint": "https://bucket.s3.amazonaws.com", "key": "<decoded object key>", "method": "PUT",
"headers": {...}, "payload": "<text>", "access": "...", "secret": "...", "token": null, "region": "us-east-1",
"amzdate": "20130524T000000Z", "expires": 300}
"""
import datetime
import json
import sys
from unittest import mock
from urllib.parse import quote, urlsplit

from botocore.auth import S3SigV4Auth, S3SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


def sign(case):
    # How botocore's REST serializer puts an S3 key in the path: percent-encoded, '/' and '~' kept.
    path = "/" + quote(case["key"], safe="/~")
    url = case["endpoint"].rstrip("/") + path
    credentials = Credentials(case["access"], case["secret"], case.get("token"))
    when = datetime.datetime.strptime(case["amzdate"], "%Y%m%dT%H%M%SZ")
    with mock.patch("botocore.auth.datetime") as clock:
        clock.datetime.utcnow.return_value = when
        clock.datetime.now.return_value = when
        clock.datetime.strptime = datetime.datetime.strptime
        request = AWSRequest(method=case["method"], url=url, data=case.get("payload", "").encode("utf-8"), headers=dict(case.get("headers", {})))
        S3SigV4Auth(credentials, "s3", case["region"]).add_auth(request)
        presign = AWSRequest(method="GET", url=url)
        S3SigV4QueryAuth(credentials, "s3", case["region"], expires=case.get("expires", 300)).add_auth(presign)
    return {"path": urlsplit(url).path, "authorization": request.headers["Authorization"], "presigned": presign.url}


print(json.dumps([sign(case) for case in json.load(sys.stdin)]))
