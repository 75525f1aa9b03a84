"""Stand-in for the AWS endpoints the boot reaches over HTTPS on 127.0.0.1:443 (the chroot's /etc/hosts
maps their names here; the certificate is signed by a test CA in the chroot's trust store):
- Secrets Manager GetSecretValue, answered from FIXTURE/secrets.json ({arn: {VersionId, SecretString}});
  while FIXTURE/secretsmanager-down exists it answers 503, as an unreachable endpoint would;
- CloudWatch Logs (Docker's awslogs driver): accepts every call;
- the CloudWatch agent's regional bucket: GET serves FIXTURE/bucket/<path>.
Each request is logged to FIXTURE/requests.log (target or path only, never a body)."""
import http.server, json, os, ssl, sys

FIXTURE = sys.argv[1]

def note(line):
    with open(os.path.join(FIXTURE, "requests.log"), "a") as f:
        f.write(line + "\n")

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def reply(self, code, body=b"", ctype="application/x-amz-json-1.1"):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        note("GET " + self.headers.get("Host", "") + self.path)
        path = os.path.normpath(os.path.join(FIXTURE, "bucket", self.path.lstrip("/")))
        if not path.startswith(os.path.join(FIXTURE, "bucket") + "/") or not os.path.isfile(path):
            return self.reply(404, b"<Error><Code>NoSuchKey</Code></Error>", "application/xml")
        with open(path, "rb") as f:
            self.reply(200, f.read(), "application/octet-stream")

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        target = self.headers.get("X-Amz-Target", "")
        note("POST " + target)
        if target == "secretsmanager.GetSecretValue":
            if os.path.exists(os.path.join(FIXTURE, "secretsmanager-down")):
                return self.reply(503, json.dumps({"__type": "ServiceUnavailable", "message": "down for the test"}).encode())
            with open(os.path.join(FIXTURE, "secrets.json")) as f:
                secrets = json.load(f)
            arn = json.loads(body)["SecretId"]
            if arn not in secrets:
                return self.reply(400, json.dumps({"__type": "ResourceNotFoundException", "message": "no such secret"}).encode())
            s = secrets[arn]
            return self.reply(200, json.dumps({"ARN": arn, "Name": arn.split(":")[-1], "VersionId": s["VersionId"],
                                               "SecretString": s["SecretString"], "VersionStages": ["AWSCURRENT"]}).encode())
        if target.startswith("Logs_20140328."):
            return self.reply(200, json.dumps({"nextSequenceToken": "1"} if target.endswith("PutLogEvents") else {}).encode())
        self.reply(400, json.dumps({"__type": "UnknownOperationException"}).encode())

    def log_message(self, fmt, *args):
        pass

server = http.server.ThreadingHTTPServer(("127.0.0.1", 443), Handler)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(os.path.join(FIXTURE, "tls", "server.crt"), os.path.join(FIXTURE, "tls", "server.key"))
server.socket = ctx.wrap_socket(server.socket, server_side=True)
server.serve_forever()
