/** Arguments and parsers shared by the boot script's tests (userData.test.ts, refreshScript.test.ts). */
import * as assert from "node:assert/strict";
import { COMMON_DEFAULTS } from "../config/profiles";
import type { EnvFileConfig } from "../config/types";
import type { UserDataArgs } from "../components/app/userData";

export const DB_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-secret-AbCdEf";
export const LICENCE_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:licence-secret-AbCdEf";

export const CUSTOM_ENV: EnvFileConfig = {
    path: "/etc/analytics/app.env",
    extraPaths: [],
    names: {
        host: "DB_HOST",
        port: "DB_PORT",
        username: "DB_USER",
        password: "DB_PASS",
        database: "DB_NAME",
        engine: "DB_KIND",
        licence: "APP_LICENSE",
    },
    static: { MODE: "cluster", GREETING: "it's $HOME `now`" },
    owner: "analytics",
};

export function baseArgs(): UserDataArgs {
    return {
        region: "eu-west-1",
        fileSystemId: "fs-0123456789abcdef0",
        accessPointId: "fsap-0123456789abcdef0",
        mountPath: "/var/dashboard/content",
        directories: { images: "images", themes: "themes", "excel-data": "excel" },
        databaseSecretArn: DB_ARN,
        databaseHost: "acme.cluster-x.eu-west-1.rds.amazonaws.com",
        databasePort: 3306,
        databaseEngine: "mariadb",
        databaseName: "dashboard",
        envFile: COMMON_DEFAULTS.app.envFile,
        services: COMMON_DEFAULTS.app.services,
        logGroupName: "/dashboard/acme-prod/app",
        logFiles: ["/var/panintelligence/logs/*.log"],
    };
}


export function lines(text: string): string[] {
    return text.split("\n");
}

/** Docker's --env-file parser (docker/cli opts/parse.go): left-trim, skip blank and '#' lines, split at the first '='. */
export function parseDockerEnvFile(text: string): Record<string, string> {
    const result: Record<string, string> = {};
    for (const raw of text.split("\n")) {
        const line = raw.replace(/\r$/, "").replace(/^\s+/, "");
        if (line === "" || line.startsWith("#")) continue;
        const i = line.indexOf("=");
        assert.ok(i > 0, `no '=' in env line ${JSON.stringify(line)}`);
        const name = line.slice(0, i);
        assert.ok(!/\s/.test(name), `whitespace in variable name ${JSON.stringify(name)}`);
        result[name] = line.slice(i + 1);
    }
    return result;
}

