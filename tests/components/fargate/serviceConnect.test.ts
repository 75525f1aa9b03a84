import * as assert from "node:assert/strict";
import { serviceConnectConfiguration } from "../../../components/fargate/serviceConnect";

const NS = "arn:aws:servicediscovery:us-east-1:123456789012:namespace/ns-0123456789abcdef";
const proxyLogs = (group: string) => ({ logDriver: "awslogs", options: { "awslogs-group": group, "awslogs-region": "us-east-1", "awslogs-stream-prefix": "service-connect" } });

describe("components/fargate/serviceConnect: the names the services call each other by", () => {
    it("dashboard: dashboard:8224 and dashboard:28748, two discovery names", () => {
        assert.deepEqual(serviceConnectConfiguration("dashboard", NS, "app-dashboard-logs", "us-east-1"), {
            enabled: true,
            namespace: NS,
            services: [
                { portName: "dashboard", discoveryName: "dashboard", clientAlias: [{ dnsName: "dashboard", port: 8224 }] },
                { portName: "dashboard-internal", discoveryName: "dashboard-internal", clientAlias: [{ dnsName: "dashboard", port: 28748 }] },
            ],
            logConfiguration: proxyLogs("app-dashboard-logs"),
        });
    });

    it("each other service: <role>:<port>, the proxy's logs in the service's own group", () => {
        const endpoints = (["scheduler", "renderer", "pirana", "excelReader"] as const).map((s) => serviceConnectConfiguration(s, NS, `logs-${s}`, "us-east-1"));
        assert.deepEqual(
            endpoints.map((c) => c.services),
            [
                [{ portName: "scheduler", discoveryName: "scheduler", clientAlias: [{ dnsName: "scheduler", port: 9917 }] }],
                [{ portName: "renderer", discoveryName: "renderer", clientAlias: [{ dnsName: "renderer", port: 9915 }] }],
                [{ portName: "pirana", discoveryName: "pirana", clientAlias: [{ dnsName: "pirana", port: 9918 }] }],
                [{ portName: "excel-reader", discoveryName: "excel-reader", clientAlias: [{ dnsName: "excel-reader", port: 9916 }] }],
            ],
        );
        assert.deepEqual(endpoints[1].logConfiguration, proxyLogs("logs-renderer"));
        // Discovery names are unique in the namespace, as Cloud Map requires.
        const names = [...serviceConnectConfiguration("dashboard", NS, "l", "r").services, ...endpoints.flatMap((c) => c.services)].map((s) => s.discoveryName);
        assert.equal(new Set(names).size, names.length);
    });
});
