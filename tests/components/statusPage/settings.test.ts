import * as assert from "node:assert/strict";
import type { PolicyStatement } from "../../../common/policies";
import {
    checkStatusPageSettings,
    checkerPolicy,
    healthCheckUrl,
    maximumEventAgeSeconds,
    pagePolicy,
    reservedConcurrency,
    scheduleExpression,
    staleAfterSeconds,
} from "../../../components/statusPage/settings";

describe("components/statusPage/settings: pure functions", () => {
    it("reservedConcurrency: none or 1–1000, never 0", () => {
        assert.equal(reservedConcurrency(undefined), undefined);
        assert.equal(reservedConcurrency(1000), 1000);
        for (const bad of [0, -1, 1.5, 1001]) assert.throws(() => reservedConcurrency(bad), /pageReservedConcurrency is .*, expected an integer from 1 to 1000, or none/);
    });

    it("checkStatusPageSettings: refuses a bad interval, path or reservation before anything is created", () => {
        checkStatusPageSettings({ intervalMinutes: 5, healthCheckPath: "/health" });
        assert.throws(() => checkStatusPageSettings({ intervalMinutes: 0, healthCheckPath: "/" }), /whole number/);
        assert.throws(() => checkStatusPageSettings({ intervalMinutes: 1, healthCheckPath: "health" }), /must start with "\/"/);
        assert.throws(() => checkStatusPageSettings({ intervalMinutes: 1, healthCheckPath: "/", pageReservedConcurrency: 0 }), /pageReservedConcurrency is 0/);
    });

    it("scheduleExpression: singular for 1, plural otherwise, whole minutes only", () => {
        const table: Array<[number, string]> = [[1, "rate(1 minute)"], [2, "rate(2 minutes)"], [5, "rate(5 minutes)"], [60, "rate(60 minutes)"]];
        for (const [m, expr] of table) assert.equal(scheduleExpression(m), expr);
        for (const bad of [0, -1, 1.5, Number.NaN]) assert.throws(() => scheduleExpression(bad), /whole number/);
    });

    it("healthCheckUrl: joins without double slashes", () => {
        const table: Array<[string, string, string]> = [
            ["https://a.example", "/", "https://a.example/"],
            ["https://a.example/", "/", "https://a.example/"],
            ["https://a.example//", "/health", "https://a.example/health"],
            ["https://a.example", "/api/health?x=1", "https://a.example/api/health?x=1"],
        ];
        for (const [url, path, expected] of table) assert.equal(healthCheckUrl(url, path), expected);
        assert.throws(() => healthCheckUrl("https://a.example", "health"), /must start with/);
    });

    it("staleAfterSeconds and maximumEventAgeSeconds", () => {
        assert.deepEqual([1, 5, 60].map(staleAfterSeconds), [180, 900, 10_800]);
        assert.deepEqual([1, 5, 60, 1000].map(maximumEventAgeSeconds), [60, 300, 3600, 21_600]);
    });

    it("policies name their resources and nothing else", () => {
        assert.deepEqual((checkerPolicy({ tableArn: "T", logGroupArn: "L", queueArn: "Q" }).Statement as PolicyStatement[]).map((s) => [s.Action, s.Resource]), [
            ["dynamodb:PutItem", "T"],
            [["logs:CreateLogStream", "logs:PutLogEvents"], "L:*"],
            ["sqs:SendMessage", "Q"],
        ]);
        assert.deepEqual((pagePolicy({ tableArn: "T", logGroupArn: "L" }).Statement as PolicyStatement[]).map((s) => [s.Action, s.Resource]), [
            ["dynamodb:Query", "T"],
            [["logs:CreateLogStream", "logs:PutLogEvents"], "L:*"],
        ]);
    });
});
