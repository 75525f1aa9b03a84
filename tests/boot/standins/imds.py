"""Stand-in for the EC2 instance metadata service, IMDSv2 only: a token from PUT /latest/api/token is
required on every GET. Serves the instance id and the instance role's (fake) credentials, which the AWS
CLI and Docker's awslogs driver read. Listens on 169.254.169.254:80 inside the test's network namespace."""
import http.server, json, secrets, sys

TOKENS = set()
ROLE = "dashboard-app-test"
CREDS = {"Code": "Success", "Type": "AWS-HMAC", "AccessKeyId": "ASIATESTTESTTESTTEST", "SecretAccessKey": "test-secret-key",
         "Token": "test-session-token", "Expiration": "2099-01-01T00:00:00Z", "LastUpdated": "2026-01-01T00:00:00Z"}
PATHS = {
    "/latest/meta-data/instance-id": "i-0123456789abcdef0",
    "/latest/meta-data/placement/region": "eu-west-1",
    "/latest/meta-data/iam/security-credentials/": ROLE,
    "/latest/meta-data/iam/security-credentials/" + ROLE: json.dumps(CREDS),
    "/latest/meta-data/iam/info": json.dumps({"Code": "Success", "InstanceProfileArn": "arn:aws:iam::123456789012:instance-profile/x"}),
    "/latest/dynamic/instance-identity/document": json.dumps({"region": "eu-west-1", "instanceId": "i-0123456789abcdef0", "accountId": "123456789012"}),
}

class Handler(http.server.BaseHTTPRequestHandler):
    def reply(self, code, body=""):
        data = body.encode()
        self.send_response(code)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_PUT(self):
        if self.path == "/latest/api/token" and self.headers.get("X-aws-ec2-metadata-token-ttl-seconds"):
            token = secrets.token_hex(16)
            TOKENS.add(token)
            return self.reply(200, token)
        self.reply(400)

    def do_GET(self):
        if self.headers.get("X-aws-ec2-metadata-token") not in TOKENS:
            return self.reply(401)
        body = PATHS.get(self.path)
        self.reply(200, body) if body is not None else self.reply(404)

    def log_message(self, fmt, *args):
        sys.stderr.write("imds: " + fmt % args + "\n")

http.server.ThreadingHTTPServer(("169.254.169.254", 80), Handler).serve_forever()
