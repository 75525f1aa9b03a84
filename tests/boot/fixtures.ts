/**
 * Fixtures of the boot test, made on the host with openssl, gpg and dpkg-deb: a test CA and a server
 * certificate for the AWS host names, a test signing key, and a tiny fake CloudWatch agent package signed
 * by it, laid out as the agent's regional bucket.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

export const AWS_HOSTS = ["secretsmanager.eu-west-1.amazonaws.com", "logs.eu-west-1.amazonaws.com", "amazoncloudwatch-agent-eu-west-1.s3.eu-west-1.amazonaws.com"];

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): string {
    return execFileSync(cmd, args, { encoding: "utf8", env, stdio: ["ignore", "pipe", "pipe"] });
}

/** A CA and a certificate for {@link AWS_HOSTS} signed by it, in `dir` (ca.crt, server.crt, server.key). */
export function makeTls(dir: string): void {
    fs.mkdirSync(dir, { recursive: true });
    const p = (f: string) => path.join(dir, f);
    run("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=dashboard boot test CA", "-keyout", p("ca.key"), "-out", p("ca.crt")]);
    run("openssl", ["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=amazonaws.test", "-keyout", p("server.key"), "-out", p("server.csr")]);
    fs.writeFileSync(p("ext.cnf"), `subjectAltName=${AWS_HOSTS.map((h) => `DNS:${h}`).join(",")}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`);
    run("openssl", ["x509", "-req", "-in", p("server.csr"), "-CA", p("ca.crt"), "-CAkey", p("ca.key"), "-CAcreateserial", "-days", "2", "-extfile", p("ext.cnf"), "-out", p("server.crt")]);
}

/**
 * A throwaway signing key, and the agent bucket under `bucket`: ubuntu/amd64/latest/amazon-cloudwatch-agent.deb
 * (+ .sig) and assets/amazon-cloudwatch-agent.gpg. The package's ctl records its calls. Returns the key's fingerprint.
 */
export function makeAgentBucket(work: string, bucket: string): string {
    const home = path.join(work, "gnupg");
    fs.mkdirSync(home, { recursive: true, mode: 0o700 });
    const env = { ...process.env, GNUPGHOME: home };
    run("gpg", ["--batch", "--passphrase", "", "--quick-gen-key", "Boot Test Signer <boot-test@example.invalid>", "ed25519", "sign", "1d"], env);
    const fpr = /^fpr:+([0-9A-F]{40}):/m.exec(run("gpg", ["--batch", "--with-colons", "--fingerprint"], env))?.[1];
    if (fpr === undefined) throw new Error("no fingerprint for the test key");
    const pkg = path.join(work, "pkg");
    const ctl = path.join(pkg, "opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl");
    fs.mkdirSync(path.dirname(ctl), { recursive: true });
    fs.mkdirSync(path.join(pkg, "DEBIAN"));
    fs.writeFileSync(path.join(pkg, "DEBIAN/control"), "Package: amazon-cloudwatch-agent\nVersion: 1.300000.0-test\nArchitecture: amd64\nMaintainer: boot test <boot-test@example.invalid>\nDescription: stand-in for the CloudWatch agent\n");
    fs.writeFileSync(ctl, '#!/bin/sh\necho "$*" >>/var/log/agent-ctl-calls\n', { mode: 0o755 });
    const dir = path.join(bucket, "ubuntu/amd64/latest");
    fs.mkdirSync(dir, { recursive: true });
    const deb = path.join(dir, "amazon-cloudwatch-agent.deb");
    run("dpkg-deb", ["--root-owner-group", "-b", pkg, deb]);
    run("gpg", ["--batch", "--yes", "--detach-sign", "-o", `${deb}.sig`, deb], env);
    fs.mkdirSync(path.join(bucket, "assets"), { recursive: true });
    fs.writeFileSync(path.join(bucket, "assets/amazon-cloudwatch-agent.gpg"), run("gpg", ["--batch", "--armor", "--export", fpr], env));
    return fpr;
}
